import type { Kysely, Transaction } from 'kysely';
import { STAFF_ROLES } from '../../../shared/roles.ts';
import type { Database } from '../../core/db/schema.ts';

type Conn = Kysely<Database> | Transaction<Database>;

export interface StaffFilter {
  /** Staff holding a role in this municipality; `null` → holders of regional roles. */
  municipalityId: number | null;
  query?: string | undefined;
  limit: number;
  offset: number;
}

export async function listStaff(db: Conn, filter: StaffFilter) {
  let q = db
    .selectFrom('app_user')
    .select([
      'app_user.id',
      'app_user.email',
      'app_user.last_name',
      'app_user.first_name',
      'app_user.middle_name',
      'app_user.is_active',
    ])
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('user_role')
          .select('user_role.id')
          .whereRef('user_role.user_id', '=', 'app_user.id')
          .where('user_role.role', 'in', STAFF_ROLES)
          .where((w) =>
            filter.municipalityId === null
              ? w('user_role.municipality_id', 'is', null)
              : w('user_role.municipality_id', '=', filter.municipalityId),
          ),
      ),
    )
    .orderBy('app_user.last_name')
    .orderBy('app_user.first_name')
    .orderBy('app_user.id')
    .limit(filter.limit)
    .offset(filter.offset);
  if (filter.query) {
    const like = `%${filter.query.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) =>
      eb.or([
        eb(eb.fn('lower', ['app_user.email']), 'like', like),
        eb(eb.fn('lower', ['app_user.last_name']), 'like', like),
        eb(eb.fn('lower', ['app_user.first_name']), 'like', like),
      ]),
    );
  }
  return q.execute();
}

export function rolesOf(db: Conn, userIds: number[]) {
  if (userIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('user_role')
    .select(['user_id', 'role', 'region_id', 'municipality_id', 'department_id'])
    .where('user_id', 'in', userIds)
    .orderBy('id')
    .execute();
}

export function findUser(db: Conn, id: number) {
  return db
    .selectFrom('app_user')
    .select(['id', 'email', 'last_name', 'first_name', 'middle_name', 'phone', 'is_active', 'email_confirmed_at', 'created_at'])
    .where('id', '=', id)
    .executeTakeFirst();
}
