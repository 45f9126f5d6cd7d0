import { Type } from 'typebox';
import { DateTime } from '../../core/http/schemas.ts';

export const NOTICE_LIST_MAX = 200;

export const NoticeOut = Type.Object({
  id: Type.Integer(),
  caseId: Type.Union([Type.Integer(), Type.Null()]),
  caseNumber: Type.Union([Type.String(), Type.Null()]),
  kind: Type.String({
    description:
      'case_registered, case_answered, case_extended, case_redirected (and other case_<event>): a letter to the ' +
      'applicant; due_soon, overdue: a deadline reminder to staff',
  }),
  title: Type.String(),
  text: Type.String(),
  at: DateTime,
  readAt: Type.Union([DateTime, Type.Null()]),
});

export const NoticeListOut = Type.Object({
  items: Type.Array(NoticeOut),
  unread: Type.Integer({ description: 'all unread notices of the user, not only those in items' }),
});

export const NoticeListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: NOTICE_LIST_MAX, default: 50 })),
    beforeId: Type.Optional(Type.Integer({ minimum: 1, description: 'the next page: notices older than this id' })),
  },
  { additionalProperties: false },
);

export const ReadAllOut = Type.Object({ marked: Type.Integer(), unread: Type.Integer() });

export const EmptyBody = Type.Optional(Type.Object({}, { additionalProperties: false }));
