import { pendingSchemaChanges } from '../migrations/schema-tools.js';

describe('schema', () => {
  it('entities and migrations agree: generating a migration would produce nothing', async () => {
    const { up } = await pendingSchemaChanges(process.env.TEST_DATABASE_URL!);
    expect(up).toEqual([]);
  });
});
