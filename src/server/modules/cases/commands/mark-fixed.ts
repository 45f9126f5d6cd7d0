import type { Transaction } from 'kysely';
import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import type { Database } from '../../../core/db/schema.ts';
import { invalid } from '../../../core/http/errors.ts';
import { attachmentMeta, linkAttachments } from '../../attachments/index.ts';
import { answerClusterMembers } from './answer-cluster.ts';
import { recordStep } from './record-step.ts';
import { answerLetter } from './review-answer.ts';

/** Photos a browser shows on the public report page (HEIC is accepted as an upload but not shown by browsers). */
export const AFTER_PHOTO_TYPES: readonly string[] = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'];

/**
 * Issue 5: a message or an incident (ПОС / incident regimes, never a 59-ФЗ appeal) is fixed — the executor it is
 * assigned to or a head marks it so with an after-photo (their own upload, JPEG/PNG/WebP/GIF) and the answer text.
 * The case is answered (result «поддержано»), the photo is linked to the case and shown on the public report page
 * next to the resident's photo, the applicant gets the answer letter and notice as on approve-answer, and the
 * open members of its cluster (residents who joined the report) are answered the same way. The resident then
 * rates the answer or reopens the case (existing actions).
 */
export function markFixed(db: Db, ctx: CommandContext, id: number, input: { text: string; attachmentId: number }) {
  const text = input.text.trim();
  if (!text) throw invalid('text', 'say what was done');
  const result = 'supported' as const;
  return recordStep(db, ctx, id, {
    name: 'mark-fixed',
    event: 'answered',
    check: async (_c, trx) => {
      const a = await attachmentMeta(trx, input.attachmentId);
      if (!a || a.uploaded_by !== ctx.principal?.userId) {
        throw invalid('attachmentId', `attachment ${input.attachmentId} is not one of your uploads`);
      }
      if (a.case_id !== null) throw invalid('attachmentId', `attachment ${input.attachmentId} is already on a case`);
      if (!AFTER_PHOTO_TYPES.includes(a.content_type)) {
        throw invalid('attachmentId', `the after-photo must be a JPEG, PNG, WebP or GIF image, not ${a.content_type}`);
      }
    },
    update: () => ({
      status: 'answered',
      answer_text: text,
      answer_result: result,
      answered_at: ctx.now,
      due_at: null,
      due_kind: null,
      due_rule: null,
      due_source: null,
    }),
    data: (c) => ({
      result,
      fixed: true,
      afterPhotoId: input.attachmentId,
      ...(c.answer_by === 'post' && { post_required: true }),
    }),
    // Late against the answer deadline of the regime (ПОС / incident rules in core/time), else the primary one.
    deadline: (c) => c.answer_due_at ?? c.due_at,
    letter: (c) => answerLetter(c, text, result),
    after: async (c, trx) => {
      await linkAttachments(trx as Transaction<Database>, ctx, { caseId: c.id, municipalityId: c.municipality_id }, [
        input.attachmentId,
      ]);
      // Residents who joined the report (members of its cluster) get the same answer.
      await answerClusterMembers(trx, ctx, { ...c, draft_text: text, draft_result: result }, answerLetter);
    },
  });
}
