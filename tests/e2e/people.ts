/** What a person does in the app: shared with the benchmarks, so it lives in testing/people.ts. */
export * from '../../testing/people.js';
