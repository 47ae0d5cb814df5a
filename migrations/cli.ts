/**
 * Migration commands:
 *   node dist/migrations/cli.js run                apply pending migrations to DATABASE_URL
 *   node dist/migrations/cli.js check              fail if entities and migrations disagree (uses a scratch database)
 *   node dist/migrations/cli.js generate <Name>    write migrations/<timestamp>-<Name>.ts from the difference
 */
import { writeFileSync } from 'node:fs';
import { DEFAULT_DATABASE_URL } from './data-source.js';
import { ensureDatabase, pendingSchemaChanges, runMigrations } from './schema-tools.js';

const url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;

function scratchUrl(): string {
  const u = new URL(url);
  u.pathname = '/ppe_schema_scratch';
  return u.toString();
}

function migrationSource(name: string, timestamp: number, up: string[], down: string[]): string {
  const lines = (qs: string[]) => qs.map((q) => `    await q.query(${JSON.stringify(q)});`).join('\n');
  return `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${name}${timestamp} implements MigrationInterface {
  name = '${name}${timestamp}';

  async up(q: QueryRunner): Promise<void> {
${lines(up)}
  }

  async down(q: QueryRunner): Promise<void> {
${lines([...down].reverse())}
  }
}
`;
}

async function main(): Promise<number> {
  const [command, arg] = process.argv.slice(2);
  if (command === 'run') {
    await ensureDatabase(url);
    const applied = await runMigrations(url);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema up to date');
    return 0;
  }
  if (command === 'check' || command === 'generate') {
    const scratch = scratchUrl();
    await ensureDatabase(scratch, { recreate: true });
    await runMigrations(scratch);
    const { up, down } = await pendingSchemaChanges(scratch);
    if (command === 'check') {
      if (up.length === 0) {
        console.log('entities and migrations agree');
        return 0;
      }
      console.error(`entities and migrations disagree; a migration would run:\n${up.join(';\n')}`);
      return 1;
    }
    if (!arg || !/^[A-Z][A-Za-z0-9]+$/.test(arg)) throw new Error('usage: generate <PascalCaseName>');
    if (up.length === 0) {
      console.log('nothing to generate');
      return 0;
    }
    const timestamp = Date.now();
    const file = `migrations/${timestamp}-${arg}.ts`;
    writeFileSync(file, migrationSource(arg, timestamp, up, down));
    console.log(`wrote ${file}; add it to migrations/index.ts and review it`);
    return 0;
  }
  console.error('usage: cli.js run | check | generate <Name>');
  return 2;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`migration command failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
