import { suite } from './suite';

// The benchmarks: same server and browser set-up as the journeys, other folder.
export default suite('./bench', 600_000);
