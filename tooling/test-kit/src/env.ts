// The one setting the kit reads: TEST_MONGODB_URI points every suite at an existing MongoDB
// (e.g. a real replica set) instead of a fresh embedded server.
export const testMongoUri = (): string | undefined => process.env.TEST_MONGODB_URI || undefined;
