import { MUNICIPALITY_TYPE_NAMES_RU, type MunicipalityType } from '../../../shared/roles.ts';
import type { CommandContext } from '../../core/context.ts';
import type { Db } from '../../core/db/index.ts';
import {
  type Block,
  bold,
  type DocumentSpec,
  formatDecimal,
  formatHours,
  formatInt,
  formatPercent,
  heading,
  NBSP,
  paragraph,
  spacer,
} from '../../core/documents/index.ts';
import { AppError } from '../../core/http/errors.ts';
import { applicationAttachments } from '../attachments/index.ts';
import { applicationFor, type Figure } from './commands/applications.ts';
import { type ApplicationRow, assignmentsOf, type ContestRow, categoriesOf } from './contest.repository.ts';
import { dateWords, SECTION_NAMES, SECTIONS } from './contest-ru.ts';

// The federal-stage application package of a municipality recommended by the regional commission (issue 8, item 5):
// the application in the form the federal stage takes — the contest and nomination, the municipality and its
// category, its place and the recommendation (the approved protocol's number and date), every section of the form,
// the figures with their sources, the list of attachments, and the date by which the package is due (the decision's
// assignment). federalPackageSpec is pure (tested on its own); federalPackage loads what it needs.

const q = (s: string) => `«${s}»`;

export interface FederalPackageInput {
  contest: {
    title: string;
    nomination: string;
    year: number;
    regionName: string;
    protocolNumber: string | null;
    approvedOn: string | null;
  };
  municipality: { name: string; type: string };
  applicantName: string;
  category: { code: string; name: string } | null;
  place: number | null;
  sections: Record<string, string | undefined>;
  figures: Figure[];
  attachments: Array<{ fileName: string; contentType: string; size: number }>;
  assignments: Array<{ text: string; responsible: string; dueOn: string | null }>;
}

/** A figure's value as the document prints it: counts grouped, shares in per cent, hours with «ч». */
export function figureValue(f: Pick<Figure, 'value' | 'unit'>): string {
  if (f.value === null) return 'нет данных';
  switch (f.unit) {
    case 'count':
      return Number.isInteger(f.value) ? formatInt(f.value) : formatDecimal(f.value);
    case 'share':
      return formatPercent(f.value);
    case 'hours':
      return formatHours(f.value);
    case 'working_hours':
      return `${formatDecimal(f.value)}${NBSP}раб.${NBSP}ч`;
    default: {
      const n = Number.isInteger(f.value) ? formatInt(f.value) : formatDecimal(f.value, 2);
      return f.unit ? `${n}${NBSP}${f.unit}` : n;
    }
  }
}

/** «1,2 МБ», «340 КБ», «512 байт». */
export function fileSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${formatDecimal(bytes / (1024 * 1024))}${NBSP}МБ`;
  if (bytes >= 1024) return `${formatInt(Math.round(bytes / 1024))}${NBSP}КБ`;
  return `${bytes}${NBSP}байт`;
}

const TYPE_NAMES: Record<string, string> = {
  'application/pdf': 'PDF',
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
  'image/gif': 'GIF',
  'image/webp': 'WebP',
  'text/plain': 'текст',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'DOCX',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'XLSX',
  'application/vnd.oasis.opendocument.text': 'ODT',
};

/**
 * The deadline of the package: the assignment about the federal stage (its text or its responsible names it), else
 * the earliest assignment with a due date; null when the decision set none.
 */
export function packageDeadline(assignments: FederalPackageInput['assignments']) {
  const dated = assignments.filter((a) => a.dueOn).sort((x, y) => (x.dueOn as string).localeCompare(y.dueOn as string));
  return dated.find((a) => /федеральн/i.test(`${a.text} ${a.responsible}`)) ?? dated[0] ?? null;
}

export function federalPackageSpec(input: FederalPackageInput): DocumentSpec {
  const { contest: c } = input;
  const typeName = MUNICIPALITY_TYPE_NAMES_RU[input.municipality.type as MunicipalityType] ?? input.municipality.type;
  const categoryLabel = input.category ? `${input.category.code} категория – ${input.category.name}` : 'не определена';
  const protocol = `протокол заседания региональной комиссии №${c.protocolNumber ?? '___'}${c.approvedOn ? ` от ${dateWords(c.approvedOn)}` : ''}`;
  const deadline = packageDeadline(input.assignments);
  const blocks: Block[] = [];
  const row = (label: string, value: string) => [{ text: label, bold: true }, value];

  blocks.push(
    paragraph(`В федеральную конкурсную комиссию Всероссийского конкурса ${q(c.title)}`, { align: 'right', indent: false }),
    spacer(12),
    heading(1, 'Конкурсная заявка', 'center'),
    paragraph(`на участие в федеральном этапе Всероссийского конкурса ${q(c.title)} ${c.year} года`, {
      align: 'center',
      indent: false,
    }),
    paragraph(`в номинации ${q(c.nomination)}`, { align: 'center', indent: false }),
    paragraph(input.applicantName, { align: 'center', indent: false }),
    spacer(6),
    heading(2, '1. Сведения о муниципальном образовании'),
    {
      kind: 'table',
      columns: [{ width: 2 }, { width: 3 }],
      header: [['Сведение', 'Значение']],
      rows: [
        row('Муниципальное образование', input.municipality.name),
        row('Вид муниципального образования', typeName),
        row('Субъект Российской Федерации', c.regionName),
        row('Категория', categoryLabel),
        row('Заявитель', input.applicantName),
      ],
    },
    heading(2, '2. Итоги регионального этапа'),
    paragraph(
      `По итогам регионального этапа Всероссийского конкурса ${q(c.title)} ${c.year} года в номинации ${q(c.nomination)} ` +
        `конкурсная заявка ${input.applicantName} ${input.place !== null ? `заняла ${input.place} место` : 'допущена к участию'}` +
        `${input.category ? ` в ${input.category.code} категории ${q(input.category.name)}` : ''} и рекомендована для участия в федеральном этапе конкурса (${protocol}).`,
    ),
    heading(2, '3. Описание практики'),
  );
  for (const key of SECTIONS) {
    blocks.push(heading(3, SECTION_NAMES[key]));
    const text = input.sections[key]?.trim();
    if (!text) {
      blocks.push(paragraph('Не заполнено.', { indent: false }));
      continue;
    }
    for (const para of text.split(/\n{2,}/)) blocks.push(paragraph(para.trim()));
  }

  blocks.push(heading(2, '4. Показатели результатов'));
  if (input.figures.length === 0) blocks.push(paragraph('Показатели не указаны.', { indent: false }));
  else
    blocks.push({
      kind: 'table',
      columns: [{ width: 0.5, align: 'right' }, { width: 3 }, { width: 1.4, align: 'right' }, { width: 3.5 }],
      header: [['№', 'Показатель', 'Значение', 'Источник']],
      rows: input.figures.map((f, i) => [
        i + 1,
        f.label,
        figureValue(f),
        [
          f.source || 'указано муниципальным образованием',
          f.edited && f.pulledValue !== null
            ? `Значение уточнено (по данным системы: ${figureValue({ ...f, value: f.pulledValue })})`
            : '',
          f.definition ? `Определение: ${f.definition}` : '',
        ]
          .filter(Boolean)
          .join('. '),
      ]),
    });

  blocks.push(heading(2, '5. Приложения'));
  if (input.attachments.length === 0) blocks.push(paragraph('Приложений нет.', { indent: false }));
  for (const [i, a] of input.attachments.entries()) {
    blocks.push(
      paragraph(`${i + 1}. ${a.fileName} (${TYPE_NAMES[a.contentType] ?? a.contentType}, ${fileSize(a.size)})`, {
        indent: false,
      }),
    );
  }

  blocks.push(heading(2, '6. Срок представления'));
  if (deadline?.dueOn) {
    blocks.push(
      paragraph([
        'Конкурсная заявка представляется в федеральную конкурсную комиссию в срок до ',
        bold(dateWords(deadline.dueOn)),
        '.',
      ]),
      paragraph(`Основание: ${protocol}, поручение «${deadline.responsible}: ${deadline.text}».`),
    );
  } else {
    blocks.push(paragraph(`Срок представления решением региональной комиссии не установлен (${protocol}).`));
  }
  return {
    title: `Конкурсная заявка ${input.municipality.name} на федеральный этап ${q(c.title)} ${c.year}`,
    author: input.municipality.name,
    subject: c.nomination,
    ...(c.approvedOn && { createdAt: new Date(`${c.approvedOn}T00:00:00Z`) }),
    blocks,
  };
}

/**
 * The package of one application (404 outside the caller's scope: the municipality's administrators, the region's
 * administrators and commission, as applicationFor): 409 unless the protocol is approved (the contest approved or published) and the
 * application is recommended to the federal stage.
 */
export async function federalPackage(db: Db, ctx: CommandContext, id: number) {
  const { a, c } = await applicationFor(db, ctx, id);
  return federalPackageOf(db, a, c);
}

async function federalPackageOf(db: Db, a: ApplicationRow, c: ContestRow) {
  if (!['approved', 'published'].includes(c.status)) {
    throw new AppError(
      'CONFLICT',
      'The federal-stage package is made once the protocol is approved: the recommendation to the federal stage is its decision',
    );
  }
  if (!a.recommended) {
    throw new AppError('CONFLICT', 'This application was not recommended to the federal stage; there is no federal package');
  }
  const [categories, assignments, attachments] = await Promise.all([
    categoriesOf(db, c.id),
    assignmentsOf(db, c.id),
    applicationAttachments(db, a.id),
  ]);
  const category = categories.find((k) => k.id === a.category_id);
  const spec = federalPackageSpec({
    contest: {
      title: c.title,
      nomination: c.nomination,
      year: c.year,
      regionName: c.region_name,
      protocolNumber: c.protocol_number,
      approvedOn: c.approved_on,
    },
    municipality: { name: a.municipality_name, type: a.municipality_type },
    applicantName: a.applicant_name,
    category: category ? { code: category.code, name: category.name } : null,
    place: a.place,
    sections: a.sections as Record<string, string | undefined>,
    figures: a.figures as Figure[],
    attachments,
    assignments: assignments.map((x) => ({ text: x.text, responsible: x.responsible, dueOn: x.due_on })),
  });
  return { spec, fileName: `Заявка на федеральный этап ЛМП ${c.year} ${a.municipality_name}` };
}
