import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Row types of every table. A module adds its tables here when it adds a migration. */
type Id = Generated<number>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<unknown, string | undefined | null, string | null>;

import type { MunicipalityType, Role } from '../../../shared/roles.ts';

export type { MunicipalityType, Role };

export interface RegionTable {
  id: Id;
  name: string;
  slug: string;
  time_zone: string;
  /** ISO 3166-2 code of the subject (e.g. RU-KEM), which selects a regional calendar overlay. */
  iso_code: string | null;
  created_at: CreatedAt;
}

export interface MunicipalityTable {
  id: Id;
  region_id: number;
  name: string;
  short_name: string;
  slug: string;
  case_prefix: string;
  type: MunicipalityType;
  oktmo: string;
  population: number | null;
  time_zone: string;
  boundary: Json;
  /** Per-regime deadline settings (core/time DeadlineSettings), `{}` for the defaults of the law. */
  deadline_settings: ColumnType<unknown, string | undefined, string>;
  is_active: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface DepartmentTable {
  id: Id;
  municipality_id: number;
  name: string;
  email: string | null;
  phone: string | null;
  is_active: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface AppUserTable {
  id: Id;
  email: string;
  password_hash: string;
  last_name: string;
  first_name: string;
  middle_name: string | null;
  phone: string | null;
  email_confirmed_at: Date | null;
  is_active: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface UserRoleTable {
  id: Id;
  user_id: number;
  role: Role;
  region_id: number | null;
  municipality_id: number | null;
  department_id: number | null;
  created_at: CreatedAt;
}

export interface SessionTable {
  id: string;
  user_id: number;
  created_at: CreatedAt;
  last_seen_at: ColumnType<Date, Date | string | undefined, Date | string>;
  expires_at: Date;
  revoked_at: Date | null;
  ip: string | null;
  user_agent: string | null;
}

export interface EmailTokenTable {
  id: string;
  user_id: number;
  purpose: 'confirm_email' | 'reset_password';
  expires_at: Date;
  used_at: Date | null;
  created_at: CreatedAt;
}

export interface LoginThrottleTable {
  key: string;
  failures: number;
  window_started_at: Date;
  locked_until: Date | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: ColumnType<Date, Date | string | undefined, never>;
  actor_user_id: number | null;
  municipality_id: number | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before: Json;
  after: Json;
  request_id: string | null;
  ip: string | null;
}

export type JobStatus = 'pending' | 'running' | 'done' | 'dead';

/** core/jobs: the job queue (see migrations/0002_jobs.ts). */
export interface JobTable {
  id: Generated<number>;
  name: string;
  payload: Json;
  status: ColumnType<JobStatus, JobStatus | undefined, JobStatus>;
  run_at: ColumnType<Date, Date | string, Date | string>;
  attempts: ColumnType<number, number | undefined, number>;
  max_attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  locked_by: string | null;
  locked_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  dedupe_key: string | null;
  created_at: CreatedAt;
  started_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  finished_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** core/jobs: recurring jobs, every N seconds or daily at HH:MM in a time zone. */
export interface JobScheduleTable {
  name: string;
  job_name: string;
  payload: Json;
  every_seconds: number | null;
  daily_at: string | null;
  time_zone: string | null;
  next_run_at: ColumnType<Date, Date | string, Date | string>;
  last_run_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  last_job_id: number | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ConsentTable {
  id: Generated<number>;
  user_id: number;
  kind: 'personal_data';
  version: string;
  accepted_at: Date;
  ip: string | null;
  user_agent: string | null;
  withdrawn_at: Date | null;
}

export interface CalendarPublicationTable {
  id: Generated<number>;
  year: number;
  region_code: string | null;
  data: ColumnType<unknown, string, never>;
  note: string;
  published_by: number | null;
  published_at: Date;
}

export interface TotkoTable {
  code: string;
  parent_code: string | null;
  level: number;
  name: string;
}

export type CaseRegime = 'appeal' | 'message' | 'incident';
export type CaseChannel = 'web' | 'api' | 'phone' | 'reception' | 'meeting' | 'letter' | 'social' | 'open311' | 'epgu';
export type CaseKind = 'proposal' | 'statement' | 'complaint' | 'other';
export type AnswerBy = 'cabinet' | 'email' | 'post';

export interface CategoryTable {
  id: Id;
  municipality_id: number;
  name: string;
  totko_code: string | null;
  regime: ColumnType<CaseRegime, CaseRegime | undefined, CaseRegime>;
  department_id: number | null;
  is_active: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  /** 0014: the Open311 service: its code (null = the id), description, keywords, group. */
  service_code: ColumnType<string | null, string | null | undefined, string | null>;
  description: ColumnType<string | null, string | null | undefined, string | null>;
  keywords: ColumnType<string | null, string | null | undefined, string | null>;
  service_group: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface CaseCounterTable {
  municipality_id: number;
  year: number;
  last: number;
}

export interface CaseTable {
  id: Id;
  municipality_id: number;
  number: string;
  regime: CaseRegime;
  channel: CaseChannel;
  kind: CaseKind;
  category_id: number | null;
  applicant_user_id: number | null;
  last_name: string | null;
  first_name: string | null;
  middle_name: string | null;
  email: string | null;
  phone: string | null;
  postal_address: string | null;
  answer_by: AnswerBy | null;
  is_anonymous: ColumnType<boolean, boolean | undefined, boolean>;
  text: string;
  address: string | null;
  lat: number | null;
  lon: number | null;
  department_id: number | null;
  executor_user_id: number | null;
  status: string;
  received_at: Date;
  registered_at: Date | null;
  /** The next statutory step's deadline (denormalised for the queue), with its kind, rule and source. */
  due_at: Date | null;
  due_kind: string | null;
  due_rule: string | null;
  due_source: string | null;
  answer_due_at: Date | null;
  /** Every deadline computed at registration (core/time Deadline, instants as ISO text). */
  deadlines: Json;
  idempotency_scope: string | null;
  idempotency_key: string | null;
  created_at: CreatedAt;
  search: ColumnType<string, never, never>;
  /** The executor's draft answer, seen by staff only until a head approves it. */
  draft_text: ColumnType<string | null, string | null | undefined, string | null>;
  draft_result: ColumnType<AnswerResult | null, AnswerResult | null | undefined, AnswerResult | null>;
  answer_text: ColumnType<string | null, string | null | undefined, string | null>;
  answer_result: ColumnType<AnswerResult | null, AnswerResult | null | undefined, AnswerResult | null>;
  answered_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** 59-ФЗ ст. 12 ч. 2: the answer period is extended once at most. */
  extension_count: ColumnType<number, number | undefined, number>;
  /** 0009: a member of a cluster of duplicates points to the cluster's primary, which is answered for all. */
  cluster_primary_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** Closed without an answer on the merits (59-ФЗ ст. 11) or withdrawn: why, the head's explanation, when. */
  closure_reason: ColumnType<ClosureReason | null, ClosureReason | null | undefined, ClosureReason | null>;
  closure_comment: ColumnType<string | null, string | null | undefined, string | null>;
  /** Where an anonymous appeal reporting an offence was forwarded (ст. 11 ч. 1). */
  forwarded_to: ColumnType<string | null, string | null | undefined, string | null>;
  closed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** 0013: the district the case's point lies in (modules/places), null without a point or a district. */
  place_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** 0014: answers to the category's questions (Open311 attributes), {code: value | [values]}. */
  attributes: ColumnType<unknown, string | null | undefined, string | null>;
  /** 0014: an Open311 client's media_url. */
  media_url: ColumnType<string | null, string | null | undefined, string | null>;
}

/** The outcome of an answer, as in ССТУ: поддержано (в т.ч. меры приняты), не поддержано, разъяснено. */
export type AnswerResult = 'supported' | 'not_supported' | 'explained';
export type ClosureReason = 'anonymous' | 'abusive' | 'unreadable' | 'court_decision' | 'correspondence_terminated' | 'withdrawn';

/** A co-signer of a collective appeal (59-ФЗ ст. 4 п. 1: an appeal may be collective). */
export interface CaseCosignerTable {
  id: Id;
  case_id: number;
  position: number;
  last_name: string;
  first_name: string;
  middle_name: string | null;
  email: string | null;
  postal_address: string | null;
}

export interface CaseEventTable {
  id: Id;
  case_id: number;
  at: Date;
  actor_user_id: number | null;
  type: string;
  data: Json;
  deadline_at: Date | null;
  late: boolean | null;
}

/** A notice in a user's cabinet: a letter about a case to its applicant, or a deadline reminder to staff. */
export interface NoticeTable {
  id: Id;
  user_id: number;
  case_id: number | null;
  kind: string;
  title: string;
  text: string;
  created_at: CreatedAt;
  read_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

/** A deadline reminder sent (once per case, deadline kind, due instant and reminder kind). */
export interface DeadlineReminderTable {
  case_id: number;
  deadline_kind: string;
  due_at: Date;
  reminder_kind: 'due_soon' | 'overdue';
  sent_at: Date;
  recipient_ids: Json;
}

/**
 * A file attached to a case (0008) or to a contest application (0021); pending (both null) until an intake or the
 * application's save links it.
 */
export interface AttachmentTable {
  id: Id;
  uploaded_by: number;
  case_id: ColumnType<number | null, number | null | undefined, number | null>;
  contest_application_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** As declared by the uploader, sanitised (no path, no control characters). */
  file_name: string;
  /** Decided from the content (magic bytes), one of ATTACHMENT_TYPES. */
  content_type: string;
  size: number;
  sha256: string;
  data: ColumnType<Uint8Array, Uint8Array, never>;
  created_at: CreatedAt;
  linked_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

/** A ready answer text per municipality and category (null = any category), with {{placeholders}} (issue 4). */
export interface AnswerTemplateTable {
  id: Id;
  municipality_id: number;
  category_id: number | null;
  title: string;
  text: string;
  result: AnswerResult | null;
  is_active: ColumnType<boolean, boolean | undefined, boolean>;
  created_by: number | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export type PlaceKind = 'municipality' | 'district' | 'tos';

/** 0013: a boundary (municipality, district, ТОС territory): GeoJSON MultiPolygon coordinates [lon, lat] and its box. */
export interface PlaceTable {
  id: Id;
  municipality_id: number;
  kind: PlaceKind;
  name: string;
  code: string | null;
  geometry: Json;
  min_lon: number;
  min_lat: number;
  max_lon: number;
  max_lat: number;
  is_approximate: ColumnType<boolean, boolean | undefined, boolean>;
  source: string;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** 0013: a category's new cases in this district go to this department (instead of the category's own). */
export interface CategoryPlaceRouteTable {
  category_id: number;
  place_id: number;
  department_id: number;
}

/** 0013: one row, its revision moved by every change of places (the area index's change counter). */
export interface PlaceRevisionTable {
  id: ColumnType<boolean, boolean | undefined, never>;
  revision: number;
}

export type AttributeDatatype = 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';

/** 0014: a category's extra question (an Open311 service attribute). */
export interface CategoryAttributeTable {
  id: Id;
  category_id: number;
  code: string;
  datatype: AttributeDatatype;
  required: boolean;
  variable: boolean;
  description: string;
  datatype_description: string | null;
  order: number;
  /** [{key, name}] for the list datatypes. */
  values: Json;
}

/** 0014: an integration's key for Open311 POSTs in one municipality; only its SHA-256 is kept. */
export interface ApiKeyTable {
  id: Id;
  municipality_id: number;
  name: string;
  key_sha256: string;
  key_prefix: string;
  created_by: number | null;
  created_at: CreatedAt;
  revoked_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  last_used_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export type MonitoringSourceKind = 'vk' | 'telegram' | 'rss' | 'webhook';
export type MonitoringPostStatus = 'new' | 'matched' | 'unmatched' | 'accepted' | 'dismissed';
export type MonitoringReplyStatus = 'published' | 'manual' | 'failed';
type NullableDate = ColumnType<Date | null, Date | null | undefined, Date | null>;

/** 0016: a stream to watch (VK, Telegram, RSS/Atom, webhook); municipality null = regional. Secrets never leave the server. */
export interface MonitoringSourceTable {
  id: Id;
  municipality_id: number | null;
  kind: MonitoringSourceKind;
  name: string;
  /** The connector's settings (VK owners and queries, Telegram chats, the feed URL), as its parseConfig returns them. */
  config: Json;
  /** VK service token, Telegram bot token, the webhook's HMAC key. */
  secret: ColumnType<string | null, string | null | undefined, string | null>;
  /** VK: a community (or user) token for wall.createComment; absent → replies are published by hand. */
  reply_secret: ColumnType<string | null, string | null | undefined, string | null>;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  poll_interval_s: number;
  /** Per-stream positions (the connector's own shape), advanced in the transaction that stores the posts. */
  cursor: Json;
  next_poll_at: ColumnType<Date, Date, Date>;
  /** The lease of the poll in progress (one at a time across nodes). */
  poll_token: ColumnType<string | null, string | null | undefined, string | null>;
  poll_until: NullableDate;
  last_polled_at: NullableDate;
  last_success_at: NullableDate;
  last_error_at: NullableDate;
  last_error: ColumnType<string | null, string | null | undefined, string | null>;
  consecutive_errors: ColumnType<number, number | undefined, number>;
  consecutive_rate_limits: ColumnType<number, number | undefined, number>;
  backoff_until: NullableDate;
  /** At the last successful poll: how old the newest new post was when stored (0 with nothing new). */
  lag_s: ColumnType<number | null, number | null | undefined, number | null>;
  posts_total: ColumnType<number, number | undefined, number>;
  skipped_total: ColumnType<number, number | undefined, number>;
  last_skip_reason: ColumnType<string | null, string | null | undefined, string | null>;
  created_by: number | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** 0016: a keyword query (issue 6's query language) of a municipality (null = regional) with its default category. */
export interface MonitoringQueryTable {
  id: Id;
  municipality_id: number | null;
  name: string;
  text: string;
  default_category_id: number | null;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  created_by: number | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** 0016: a post or comment as fetched (unique per source and external id), and what the pipeline made of it. */
export interface MonitoringPostTable {
  id: Id;
  source_id: number;
  external_id: string;
  parent_external_id: string | null;
  url: string | null;
  author_handle: string | null;
  author_name: string | null;
  text: string;
  published_at: Date;
  fetched_at: Date;
  raw: Json;
  status: ColumnType<MonitoringPostStatus, MonitoringPostStatus | undefined, MonitoringPostStatus>;
  matched_query_ids: ColumnType<number[], number[] | undefined, number[]>;
  municipality_id: ColumnType<number | null, number | null | undefined, number | null>;
  place_id: ColumnType<number | null, number | null | undefined, number | null>;
  category_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** The group's primary post when this one is a near-duplicate; the primary counts its duplicates in dup_count. */
  duplicate_of: ColumnType<number | null, number | null | undefined, number | null>;
  dup_count: ColumnType<number, number | undefined, number>;
  signature: ColumnType<string | null, string | null | undefined, string | null>;
  case_id: ColumnType<number | null, number | null | undefined, number | null>;
  dismiss_reason: ColumnType<string | null, string | null | undefined, string | null>;
  moderated_by: ColumnType<number | null, number | null | undefined, number | null>;
  moderated_at: NullableDate;
  reply_text: ColumnType<string | null, string | null | undefined, string | null>;
  reply_status: ColumnType<MonitoringReplyStatus | null, MonitoringReplyStatus | null | undefined, MonitoringReplyStatus | null>;
  reply_external_id: ColumnType<string | null, string | null | undefined, string | null>;
  reply_url: ColumnType<string | null, string | null | undefined, string | null>;
  reply_error: ColumnType<string | null, string | null | undefined, string | null>;
  replied_by: ColumnType<number | null, number | null | undefined, number | null>;
  replied_at: NullableDate;
}

/** 0017: a case changed since its analytics facts were computed (set by triggers on case and case_event). */
export interface AnalyticsDirtyTable {
  case_id: number;
  marks: ColumnType<number, number | undefined, number>;
}

export type AnalyticsCaseState = 'open' | 'answered' | 'redirected' | 'closed';

/** 0017: one case's facts for the figures (modules/analytics/facts.ts); durations in milliseconds. */
export interface AnalyticsCaseTable {
  case_id: number;
  municipality_id: number;
  received_at: Date;
  /** The local date of receipt in the municipality's zone (YYYY-MM-DD). */
  received_day: ColumnType<string, string, string>;
  regime: CaseRegime;
  channel: CaseChannel;
  category_id: number | null;
  department_id: number | null;
  place_id: number | null;
  executor_user_id: number | null;
  state: AnalyticsCaseState;
  due_at: Date | null;
  overdue: boolean;
  on_time: boolean | null;
  reaction_at: Date | null;
  reaction_ms: number | null;
  reaction_work_ms: number | null;
  answered_at: Date | null;
  resolution_ms: number | null;
  resolution_work_ms: number | null;
  ever_answered: boolean;
  reopened: boolean;
  redirected: boolean;
  converted: boolean;
  rating: number | null;
  applicant_key: string | null;
  prev_same_day: ColumnType<string | null, string | null, string | null>;
  cell_lat: number | null;
  cell_lon: number | null;
  computed_at: Date;
}

/** 0017: the facts summed per municipality × day of receipt × dimension value (dim 'total' has key ''). */
export interface AnalyticsDailyTable {
  municipality_id: number;
  day: ColumnType<string, string, string>;
  dim: 'total' | 'channel' | 'regime' | 'category' | 'department' | 'district';
  key: string;
  received: number;
  answered: number;
  open: number;
  overdue: number;
  on_time: number;
  late: number;
  redirected: number;
  closed: number;
  ever_answered: number;
  reopened: number;
  converted: number;
  rated: number;
  rated_positive: number;
  reaction_n: number;
  reaction_ms: number;
  reaction_work_n: number;
  reaction_work_ms: number;
  resolution_n: number;
  resolution_ms: number;
  resolution_work_n: number;
  resolution_work_ms: number;
}

/** 0017: one row; when a refresh last found no dirty case (the figures' "as of"). */
export interface AnalyticsStateTable {
  id: ColumnType<boolean, boolean | undefined, never>;
  clean_at: Date | null;
}

/** 0020 (issue 8): a contest «Лучшая муниципальная практика» of a region: its stage, window, method and decisions. */
export interface ContestTable {
  id: Id;
  region_id: number;
  year: number;
  stage: 'regional' | 'federal';
  title: string;
  nomination: string;
  organizer: ColumnType<string, string | undefined, string>;
  regulation: ColumnType<string, string | undefined, string>;
  applications_from: Date;
  applications_to: Date;
  resubmit_to: Date | null;
  review_to: Date | null;
  meeting_at: Date | null;
  meeting_place: ColumnType<string, string | undefined, string>;
  /** string[]: the items of the meeting's agenda. */
  agenda: Json;
  method: 'ranking' | 'criteria';
  /** [{code, name, weight}] for the criteria method. */
  criteria: Json;
  recommend_top: number;
  status: ColumnType<'setup' | 'meeting' | 'decided' | 'approved' | 'published', string | undefined, string>;
  compliance_note: ColumnType<string, string | undefined, string>;
  protocol_number: string | null;
  approved_on: ColumnType<string | null, string | null | undefined, string | null>;
  approver_position: string | null;
  approver_name: string | null;
  published_at: Date | null;
  created_by: number | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** 0020: a category of a contest (I, II) and the municipality types that apply in it; `tiebreak` once decided. */
export interface ContestCategoryTable {
  id: Id;
  contest_id: number;
  code: string;
  name: string;
  municipality_types: MunicipalityType[];
  position: number;
  tiebreak: Json;
}

/** 0020: a seat on the contest's commission; a person with an Otklik account (`user_id`) or just a name. */
export interface ContestMemberTable {
  id: Id;
  contest_id: number;
  role: 'chair' | 'deputy_chair' | 'secretary' | 'member';
  last_name: string;
  first_name: string;
  middle_name: string | null;
  position: string;
  user_id: number | null;
  /** Attendance at the meeting (null: not recorded yet). */
  present: boolean | null;
  sort: number;
}

/** 0020: a municipality's application; `sections` holds the texts of the form, `figures` the results with sources. */
export interface ContestApplicationTable {
  id: Id;
  contest_id: number;
  municipality_id: number;
  category_id: number;
  applicant_name: string;
  status: ColumnType<'draft' | 'submitted' | 'returned' | 'conforms' | 'admitted', string | undefined, string>;
  sections: Json;
  figures: Json;
  attachment_ids: ColumnType<number[], number[] | undefined, number[]>;
  remarks: string | null;
  submitted_at: Date | null;
  checked_at: Date | null;
  admitted_at: Date | null;
  place: number | null;
  recommended: ColumnType<boolean, boolean | undefined, boolean>;
  created_by: number | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** 0020: one member's vote on one application (a rank, or criteria scores); append-only by trigger. */
export interface ContestVoteTable {
  id: Id;
  contest_id: number;
  member_id: number;
  category_id: number;
  application_id: number;
  rank: number | null;
  scores: Json;
  recorded_by: number | null;
  on_paper: boolean;
  recorded_at: Date;
}

/** 0020: an assignment of the commission's decision (what, who, by when). */
export interface ContestAssignmentTable {
  id: Id;
  contest_id: number;
  text: string;
  responsible: string;
  due_on: ColumnType<string | null, string | null | undefined, string | null>;
  sort: number;
}

export interface Database {
  region: RegionTable;
  municipality: MunicipalityTable;
  department: DepartmentTable;
  app_user: AppUserTable;
  user_role: UserRoleTable;
  session: SessionTable;
  email_token: EmailTokenTable;
  login_throttle: LoginThrottleTable;
  audit_log: AuditLogTable;
  job: JobTable;
  consent: ConsentTable;
  calendar_publication: CalendarPublicationTable;
  job_schedule: JobScheduleTable;
  totko: TotkoTable;
  category: CategoryTable;
  case_counter: CaseCounterTable;
  case: CaseTable;
  case_event: CaseEventTable;
  // 0007 side paths (co-signers)
  case_cosigner: CaseCosignerTable;
  // 0008 attachments — add tables here
  attachment: AttachmentTable;
  // 0009 clusters — add tables here (no table: "case".cluster_primary_id)
  // 0010 notices — add tables here
  notice: NoticeTable;
  deadline_reminder: DeadlineReminderTable;
  // 0011 answer templates — add tables here
  answer_template: AnswerTemplateTable;
  // 0013 places
  place: PlaceTable;
  category_place_route: CategoryPlaceRouteTable;
  place_revision: PlaceRevisionTable;
  // 0014 open311
  category_attribute: CategoryAttributeTable;
  api_key: ApiKeyTable;
  // 0016 monitoring
  monitoring_source: MonitoringSourceTable;
  monitoring_query: MonitoringQueryTable;
  monitoring_post: MonitoringPostTable;
  // 0017 analytics
  analytics_dirty: AnalyticsDirtyTable;
  analytics_case: AnalyticsCaseTable;
  analytics_daily: AnalyticsDailyTable;
  analytics_state: AnalyticsStateTable;
  // 0020 contest (issue 8)
  contest: ContestTable;
  contest_category: ContestCategoryTable;
  contest_member: ContestMemberTable;
  contest_application: ContestApplicationTable;
  contest_vote: ContestVoteTable;
  contest_assignment: ContestAssignmentTable;
}

export type Municipality = Selectable<MunicipalityTable>;
export type Department = Selectable<DepartmentTable>;
export type AppUser = Selectable<AppUserTable>;
export type NewAppUser = Insertable<AppUserTable>;
export type AppUserUpdate = Updateable<AppUserTable>;
