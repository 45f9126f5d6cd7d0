import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { invalid } from '../../../core/http/errors.ts';
import { findDepartmentOf, worksInDepartment } from '../cases.repository.ts';
import { recordStep } from './record-step.ts';

export interface AssignCaseInput {
  departmentId: number;
  executorUserId?: number;
}

/** A head or an operator sends the case to a department of its municipality and, optionally, an executor there. */
export function assignCase(db: Db, ctx: CommandContext, id: number, input: AssignCaseInput) {
  const executor = input.executorUserId ?? null;
  return recordStep(db, ctx, id, {
    name: 'assign',
    event: 'assigned',
    check: async (c, trx) => {
      if (!(await findDepartmentOf(trx, c.municipality_id, input.departmentId))) {
        throw invalid('departmentId', 'no such department in the case’s municipality');
      }
      if (executor !== null && !(await worksInDepartment(trx, executor, c.municipality_id, input.departmentId))) {
        throw invalid('executorUserId', 'this person has no executor’s or head’s role in that department');
      }
    },
    update: () => ({ status: 'assigned', department_id: input.departmentId, executor_user_id: executor }),
    data: (c) => ({
      departmentId: input.departmentId,
      executorUserId: executor,
      ...(c.department_id !== null && c.department_id !== input.departmentId && { fromDepartmentId: c.department_id }),
    }),
  });
}
