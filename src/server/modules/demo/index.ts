export { DEMO_MUNICIPALITIES, DEMO_PASSWORD, DEMO_USERS } from './demo-data.ts';
export { type SeedResult, seedDemo } from './seed-demo.ts';
export { seedShowcase } from './seed-showcase.ts';
