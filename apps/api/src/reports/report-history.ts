import type { ObjectLiteral, Repository } from 'typeorm';

interface VersionedReport extends ObjectLiteral {
  serviceDate: string;
  version: number;
}

/** The latest version for each service date in [from, to], newest date first. */
export function latestPerDate<T extends VersionedReport>(
  repo: Repository<T>,
  orgProperty: 'enterpriseId' | 'supplierId',
  orgId: string,
  range: { from: string; to: string },
): Promise<T[]> {
  return repo
    .createQueryBuilder('r')
    .distinctOn(['r.serviceDate'])
    .where(`r.${orgProperty} = :orgId AND r.serviceDate BETWEEN :from AND :to`, { orgId, ...range })
    .orderBy('r.serviceDate', 'DESC')
    .addOrderBy('r.version', 'DESC')
    .getMany();
}

/** Every version posted for one service date, oldest first. */
export function allVersions<T extends VersionedReport>(
  repo: Repository<T>,
  orgProperty: 'enterpriseId' | 'supplierId',
  orgId: string,
  serviceDate: string,
): Promise<T[]> {
  return repo
    .createQueryBuilder('r')
    .where(`r.${orgProperty} = :orgId AND r.serviceDate = :serviceDate`, { orgId, serviceDate })
    .orderBy('r.version', 'ASC')
    .getMany();
}
