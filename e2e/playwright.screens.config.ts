import { suite } from './suite';

// `make screens`: screenshots of every page for the docs, same server set-up as the journeys.
export default suite('./screens', 120_000);
