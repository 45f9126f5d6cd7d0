import { writeAudit } from '../../../core/audit/audit.ts';
import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { enqueueMail } from '../../../core/mail/mail-job.ts';
import { createNotice } from '../../notices/index.ts';
import { type CaseRow, findCases } from '../cases.repository.ts';
import { lockOpenMembers } from '../clusters.repository.ts';

export type AnswerLetter = (c: CaseRow, text: string, result: CaseRow['answer_result']) => { subject: string; text: string };

/**
 * Inside the transaction approving the answer of a cluster's primary (`primary` as it was before, with its draft):
 * every open member gets the same answer and result and is answered — its own `answered` timeline event, `late`
 * against ITS OWN answer deadline (59-ФЗ ст. 12 ч. 1: each appeal is answered within its period), its own audit row,
 * and its applicant's letter (by e-mail unless the answer goes by post, then `post_required` on the event) and notice.
 */
export async function answerClusterMembers(trx: Db, ctx: CommandContext, primary: CaseRow, letterOf: AnswerLetter) {
  const text = primary.draft_text ?? '';
  const result = primary.draft_result;
  const ids = await lockOpenMembers(trx, primary.id);
  const members = (await findCases(trx, ids)).sort((a, b) => a.id - b.id);
  const now = ctx.now;
  for (const m of members) {
    await trx
      .updateTable('case')
      .set({
        status: 'answered',
        answer_text: text,
        answer_result: result,
        answered_at: now,
        due_at: null,
        due_kind: null,
        due_rule: null,
        due_source: null,
      })
      .where('id', '=', m.id)
      .execute();
    const data = {
      result,
      clusterPrimaryCaseId: primary.id,
      clusterPrimaryNumber: primary.number,
      ...(m.answer_by === 'post' && { post_required: true }),
    };
    const deadline = m.answer_due_at;
    await trx
      .insertInto('case_event')
      .values({
        case_id: m.id,
        at: now,
        actor_user_id: ctx.principal?.userId ?? null,
        type: 'answered',
        data: JSON.stringify(data),
        deadline_at: deadline,
        late: deadline ? now.getTime() > deadline.getTime() : null,
      })
      .execute();
    await writeAudit(trx, ctx, {
      action: 'case.approve_answer',
      entityType: 'case',
      entityId: m.id,
      municipalityId: m.municipality_id,
      before: { status: m.status },
      after: { status: 'answered', ...data },
    });
    const letter = letterOf(m, text, result);
    if (m.email && m.answer_by !== 'post') await enqueueMail(trx, ctx, { to: m.email, ...letter });
    if (m.applicant_user_id !== null) {
      await createNotice(trx, now, {
        userId: m.applicant_user_id,
        caseId: m.id,
        kind: 'case_answered',
        title: letter.subject,
        text: letter.text,
      });
    }
  }
  return members.map((m) => m.id);
}
