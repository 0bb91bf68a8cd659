import { suite } from './suite';

// The user journeys; each spec file gets its own server and database (see suite.ts).
export default suite('./tests', 30_000);
