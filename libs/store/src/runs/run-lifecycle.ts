import { In, QueryFailedError, type DataSource, type EntityManager } from 'typeorm';
import { nextInSeries } from '../database/numbering.js';
import { RunStatus, RunTrigger } from '#domain';
import { AllocationRun, type RunCorrection } from '../entities/allocation-run.entity.js';
import { DomainError, type ProblemCode } from '#domain';

/**
 * The one owner of an allocation run's state. Every change of status, and every version bump
 * (the ETag coordinators send back in If-Match), is written here and nowhere else:
 *
 *   queued ──▶ running ──▶ draft ──▶ published ──▶ superseded
 *     │           │  ▲        │
 *     │           ▼  │        └──▶ superseded (a newer draft of the date)
 *     └─────────▶ failed      (a failed run stays failed; it is re-run as a new run)
 *
 * Each transition is one guarded UPDATE whose WHERE clause holds the statuses it may leave and,
 * when the caller read an ETag, the version it read. Two requests racing on one ETag both send
 * their UPDATE; PostgreSQL lets the first through, and the second, re-checking the WHERE clause
 * against the committed row, matches nothing and is told why (412 stale ETag, 409 wrong state).
 */
export const RUN_TRANSITIONS: Readonly<Record<RunStatus, readonly RunStatus[]>> = {
  [RunStatus.Queued]: [RunStatus.Running, RunStatus.Draft, RunStatus.Failed, RunStatus.Superseded],
  [RunStatus.Running]: [RunStatus.Running, RunStatus.Draft, RunStatus.Failed],
  [RunStatus.Draft]: [RunStatus.Published, RunStatus.Superseded],
  [RunStatus.Published]: [RunStatus.Superseded],
  [RunStatus.Superseded]: [],
  [RunStatus.Failed]: [],
};

/** What a transition may write besides status and version. */
type RunFields = Partial<Omit<AllocationRun, 'id' | 'zoneId' | 'serviceDate' | 'sequence' | 'status' | 'version' | 'zone'>>;

export interface Transition {
  /** Statuses the run may be in; the UPDATE matches nothing otherwise. */
  from: readonly RunStatus[];
  /** The new status; omitted for a change that keeps the status (an override, a re-run request). */
  to?: RunStatus;
  /** The version the caller read (its If-Match); omitted for the worker, which holds no ETag. */
  expectedVersion?: number;
  set?: RunFields;
  /** The conflict to report when the run is in none of the `from` statuses. */
  conflict: { code: ProblemCode; message: (status: RunStatus) => string };
}

/**
 * Moves a run, or bumps its version, in one guarded UPDATE. Returns the run as it now is; throws
 * RUN_NOT_FOUND, STALE_ETAG (412) or the transition's conflict (409) when the UPDATE matched nothing.
 */
export async function transitionRun(m: EntityManager, runId: string, t: Transition): Promise<AllocationRun> {
  if (t.to) for (const from of t.from) assertAllowed(from, t.to);
  const qb = m
    .createQueryBuilder()
    .update(AllocationRun)
    .set({ ...(t.set ?? {}), ...(t.to ? { status: t.to } : {}), version: () => 'version + 1' } as never)
    .where('id = :runId AND status IN (:...from)', { runId, from: t.from });
  if (t.expectedVersion !== undefined) qb.andWhere('version = :version', { version: t.expectedVersion });
  const { affected } = await qb.execute();
  const run = await m.findOneBy(AllocationRun, { id: runId });
  if (!run) throw DomainError.notFound('Run', 'RUN_NOT_FOUND');
  if (affected === 1) return run;
  if (t.expectedVersion !== undefined && run.version !== t.expectedVersion) throw staleEtag(run.version);
  throw new DomainError('conflict', t.conflict.code, t.conflict.message(run.status), [], { status: run.status });
}

/** Bumps the version of a run the caller read at `expectedVersion` (an override made or withdrawn on it). */
export function touchRun(m: EntityManager, runId: string, expectedVersion: number): Promise<AllocationRun> {
  return transitionRun(m, runId, {
    from: Object.values(RunStatus),
    expectedVersion,
    conflict: { code: 'RUN_CONFLICT', message: (s) => `The run is ${s}` },
  });
}

export function staleEtag(current: number): DomainError {
  return new DomainError('precondition_failed', 'STALE_ETAG', `The run changed since you read it (now version ${current}); reload and retry`, [], { version: current });
}

function assertAllowed(from: RunStatus, to: RunStatus): void {
  if (!RUN_TRANSITIONS[from].includes(to)) throw new Error(`run lifecycle: ${from} → ${to} is not a transition`);
}

/** Creates a queued run for (zone, date); the caller enqueues its job after the transaction commits. */
export async function createRun(
  m: EntityManager,
  input: { zoneId: string; serviceDate: string; trigger: RunTrigger; startedBy: string | null; parentRunId?: string | null; correction?: RunCorrection | null; now: Date },
): Promise<AllocationRun> {
  const sequence = await nextInSeries(
    m,
    `allocation_runs:${input.zoneId}:${input.serviceDate}`,
    'SELECT max(sequence) FROM allocation_runs WHERE zone_id = $1 AND service_date = $2',
    [input.zoneId, input.serviceDate],
  );
  const run = m.create(AllocationRun, {
    zoneId: input.zoneId,
    serviceDate: input.serviceDate,
    sequence,
    status: RunStatus.Queued,
    trigger: input.trigger,
    startedBy: input.startedBy,
    parentRunId: input.parentRunId ?? null,
    correction: input.correction ?? null,
    queuedAt: input.now,
    // No result yet: stored as null, and answered as null rather than left out.
    figures: null,
    failureReason: null,
    startedAt: null,
    finishedAt: null,
    solveMs: null,
    publishedAt: null,
    publishedBy: null,
  });
  await m.insert(AllocationRun, run);
  return run;
}

/** The nightly run of (zone, date): created once however often the scheduler's job is delivered. */
export async function findOrCreateScheduledRun(ds: DataSource, zoneId: string, serviceDate: string, now: Date): Promise<AllocationRun> {
  const runs = ds.getRepository(AllocationRun);
  const existing = await runs.findOneBy({ zoneId, serviceDate, trigger: RunTrigger.Schedule });
  if (existing) return existing;
  try {
    return await ds.transaction((m) => createRun(m, { zoneId, serviceDate, trigger: RunTrigger.Schedule, startedBy: null, now }));
  } catch (err) {
    // Another delivery created it first (unique per zone, date and schedule trigger).
    if (!(err instanceof QueryFailedError)) throw err;
    return runs.findOneByOrFail({ zoneId, serviceDate, trigger: RunTrigger.Schedule });
  }
}

/** The worker takes a queued run (or retries a running one). False when it is no longer pending. */
export async function claimRun(m: EntityManager, runId: string, now: Date): Promise<boolean> {
  const { affected } = await m
    .createQueryBuilder()
    .update(AllocationRun)
    .set({ status: RunStatus.Running, attempts: () => 'attempts + 1', startedAt: () => 'coalesce(started_at, :now)', version: () => 'version + 1' } as never)
    .where({ id: runId, status: In([RunStatus.Queued, RunStatus.Running]) })
    .setParameter('now', now)
    .execute();
  return affected === 1;
}

/** A computed run becomes a draft, and older drafts (and runs still queued before it) of its date are superseded. */
export async function completeRun(m: EntityManager, run: AllocationRun, set: RunFields): Promise<void> {
  await transitionRun(m, run.id, {
    from: [RunStatus.Queued, RunStatus.Running],
    to: RunStatus.Draft,
    set,
    conflict: { code: 'RUN_NOT_PENDING', message: (s) => `The run is ${s}, not being computed` },
  });
  await m
    .createQueryBuilder()
    .update(AllocationRun)
    .set({ status: RunStatus.Superseded, version: () => 'version + 1' } as never)
    .where('zone_id = :zoneId AND service_date = :serviceDate AND sequence < :sequence AND status IN (:...from)', {
      zoneId: run.zoneId,
      serviceDate: run.serviceDate,
      sequence: run.sequence,
      from: [RunStatus.Draft, RunStatus.Queued],
    })
    .execute();
}

/** Marks a pending run failed with its reason. False when it had already finished. */
export async function failRun(m: EntityManager, runId: string, reason: string, now: Date, set: RunFields = {}): Promise<boolean> {
  const { affected } = await m
    .createQueryBuilder()
    .update(AllocationRun)
    .set({ ...set, status: RunStatus.Failed, failureReason: reason.slice(0, 2000), finishedAt: now, version: () => 'version + 1' } as never)
    .where({ id: runId, status: In([RunStatus.Queued, RunStatus.Running]) })
    .execute();
  return affected === 1;
}

/**
 * Publishes a draft the caller read at `expectedVersion` (none for auto-publish), superseding the
 * date's published run if there is one. Returns the run as published and the one it superseded.
 */
export async function markPublished(
  m: EntityManager,
  runId: string,
  publishedBy: string | null,
  now: Date,
  expectedVersion?: number,
): Promise<{ run: AllocationRun; previous: AllocationRun | null }> {
  const found = await m.findOneBy(AllocationRun, { id: runId });
  if (!found) throw DomainError.notFound('Run', 'RUN_NOT_FOUND');
  // One publisher per date at a time: the published run is superseded before the draft takes its
  // place (one published run per date is a unique index), so two publishes must not interleave.
  await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`publish:${found.zoneId}:${found.serviceDate}`]);
  const draft = await m.findOneByOrFail(AllocationRun, { id: runId });
  // Told early, and never by superseding the run itself: a stale ETag, or a run that is no longer a draft.
  if (expectedVersion !== undefined && draft.version !== expectedVersion) throw staleEtag(draft.version);
  if (draft.status !== RunStatus.Draft) throw new DomainError('conflict', 'RUN_NOT_DRAFT', `Only a draft can be published; this run is ${draft.status}`);
  const previous = await m.findOneBy(AllocationRun, { zoneId: draft.zoneId, serviceDate: draft.serviceDate, status: RunStatus.Published });
  if (previous) {
    await transitionRun(m, previous.id, {
      from: [RunStatus.Published],
      to: RunStatus.Superseded,
      conflict: { code: 'RUN_NOT_PUBLISHED', message: (s) => `The published run of this date became ${s} meanwhile; reload and retry` },
    });
  }
  // If this one fails (stale ETag, no longer a draft), the caller's transaction rolls the supersede back.
  const published = await transitionRun(m, runId, {
    from: [RunStatus.Draft],
    to: RunStatus.Published,
    expectedVersion,
    set: { publishedAt: now, publishedBy },
    conflict: { code: 'RUN_NOT_DRAFT', message: (s) => `Only a draft can be published; this run is ${s}` },
  });
  return { run: published, previous };
}
