import type { Db } from '../../core/db/index.ts';
import { approval, type Block, bold, type DocumentSpec, heading, paragraph, spacer } from '../../core/documents/index.ts';
import { AppError } from '../../core/http/errors.ts';
import { localDate } from '../../core/time/index.ts';
import { applicationsOf, assignmentsOf, type ContestRow, categoriesOf, membersOf } from './contest.repository.ts';
import {
  dateWords,
  fullName,
  initialsName,
  MEMBER_ROLE_NAMES,
  ROMAN_LETTERS,
  SECTION_NAMES,
  SECTIONS,
  stampDate,
} from './contest-ru.ts';

// The protocol of the commission's meeting (issue 8, item 5) in the structure of the official one (the seed): the
// approval stamp, «Протокол №», the nomination, the agenda, the chair and the participants, «Доложили» (applications
// per category, the compliance check, admission, a characterisation of each application) and «Решили» (places,
// recommendations to the federal stage, assignments with deadlines).

const q = (s: string) => `«${s}»`;

export async function protocolSpec(db: Db, c: ContestRow): Promise<DocumentSpec> {
  if (!['decided', 'approved', 'published'].includes(c.status)) {
    throw new AppError('CONFLICT', 'The protocol is made once the meeting is closed and the places are decided');
  }
  const [categories, members, applications, assignments] = await Promise.all([
    categoriesOf(db, c.id),
    membersOf(db, c.id),
    applicationsOf(db, c.id),
    assignmentsOf(db, c.id),
  ]);
  const chair = members.find((m) => m.role === 'chair');
  const others = members.filter((m) => m.role !== 'chair' && m.present !== false);
  const received = applications.filter((a) => a.status !== 'draft');
  const admitted = applications.filter((a) => a.status === 'admitted');
  const contestName = `регионального этапа Всероссийского конкурса ${q(c.title)}`;
  const nomination = `в номинации ${q(c.nomination)}`;
  const blocks: Block[] = [];

  blocks.push(
    approval([
      c.approver_position ?? chair?.position ?? '',
      '',
      `________________ ${c.approver_name ?? (chair ? initialsName(chair) : '')}`,
      c.approved_on ? stampDate(c.approved_on) : '«___» ____________ 20__ года',
    ]),
    spacer(12),
    heading(1, `Протокол №${c.protocol_number ?? '___'}`, 'center'),
    paragraph(`заседания региональной комиссии по подготовке и проведению ${contestName}`, { align: 'center', indent: false }),
    paragraph(nomination, { align: 'center', indent: false }),
  );
  if (c.meeting_at)
    blocks.push(
      paragraph(`Дата заседания: ${dateWords(localDate(c.meeting_at, c.time_zone))}`, { align: 'center', indent: false }),
    );

  blocks.push(paragraph(bold('Повестка заседания:'), { indent: false }));
  const agenda = (c.agenda as string[]).length
    ? (c.agenda as string[])
    : [
        `Рассмотрение конкурсных заявок, представленных муниципальными образованиями для участия в региональном этапе Всероссийского конкурса ${q(c.title)} в ${c.year} году ${nomination}.`,
        `Определение победителей ${contestName} ${nomination}.`,
        `Рассмотрение предложений по определению муниципальных образований, конкурсные заявки которых будут представлены в федеральную конкурсную комиссию.`,
      ];
  for (const [i, item] of agenda.entries()) blocks.push(paragraph(`${i + 1}. ${item}`));

  if (chair) {
    blocks.push(
      paragraph(bold('Председатель:'), { indent: false }),
      paragraph(`${fullName(chair)} — ${chair.position}`, { indent: false }),
    );
  }
  blocks.push(paragraph(bold('Участники заседания комиссии:'), { indent: false }));
  for (const m of others)
    blocks.push(
      paragraph(`${fullName(m)} — ${m.position}${m.role !== 'member' ? `, ${MEMBER_ROLE_NAMES[m.role]}` : ''}`, {
        indent: false,
      }),
    );

  // «Доложили»
  blocks.push(paragraph(bold('Доложили:'), { indent: false }));
  blocks.push(
    paragraph(
      `1. На рассмотрение конкурсной комиссии ${nomination}${c.organizer ? `, в ${c.organizer}` : ''} поступило ${received.length} ${plural(received.length, 'заявка', 'заявки', 'заявок')}, в том числе по категориям:`,
    ),
  );
  categories.forEach((k, i) => {
    blocks.push(paragraph(`${ROMAN_LETTERS[i]}) ${k.code} категория – ${k.name}:`, { indent: false }));
    const mine = received.filter((a) => a.category_id === k.id);
    if (mine.length === 0) blocks.push(paragraph(bold('Заявок не поступило.'), { indent: false }));
    for (const [j, a] of mine.entries()) {
      blocks.push(paragraph(`– ${a.applicant_name}${j === mine.length - 1 ? '.' : ','}`, { indent: false }));
    }
  });
  const conforming = received.filter((a) => a.status === 'admitted');
  const returned = received.filter((a) => a.status === 'returned');
  blocks.push(
    paragraph(
      `2. Конкурсные заявки рассмотрены на соответствие ${c.regulation ? `${c.regulation}` : 'Положению о региональном этапе конкурса'}. ` +
        (returned.length === 0
          ? 'Все заявки соответствуют Положению.'
          : `Соответствуют Положению заявки: ${conforming.map((a) => a.applicant_name).join(', ') || 'нет'}; возвращены на доработку: ${returned.map((a) => `${a.applicant_name} (${a.remarks ?? ''})`).join(', ')}.`) +
        (c.compliance_note ? ` ${c.compliance_note}` : ''),
    ),
    paragraph(
      admitted.length
        ? `3. Предложено допустить к участию в региональном этапе Всероссийского конкурса ${q(c.title)} ${nomination} конкурсные заявки: ${admitted.map((a) => a.applicant_name).join(', ')}.`
        : '3. Заявок, допущенных к участию, нет.',
    ),
    paragraph('4. Характеристика конкурсных заявок:'),
  );
  for (const a of admitted) {
    blocks.push(heading(3, a.applicant_name));
    const s = a.sections as Record<string, string | undefined>;
    for (const key of SECTIONS) {
      const text = s[key]?.trim();
      if (!text) continue;
      for (const [i, para] of text.split(/\n{2,}/).entries()) {
        blocks.push(paragraph(i === 0 ? [bold(`${SECTION_NAMES[key]}: `), para] : para));
      }
    }
    const figures = (a.figures as Array<{ label: string; value: number | null; unit: string; source: string }>) ?? [];
    for (const f of figures) {
      if (f.value === null) continue;
      blocks.push(
        paragraph(
          `– ${f.label}: ${String(f.value).replace('.', ',')}${f.unit && !/^(count|share)$/.test(f.unit) ? ` ${f.unit}` : ''} (источник: ${f.source})`,
          { indent: false },
        ),
      );
    }
  }

  // «Решили»
  blocks.push(paragraph(bold('Решили:'), { indent: false }));
  blocks.push(paragraph('1. По результатам проведенного членами Комиссии голосования распределить места следующим образом:'));
  categories.forEach((k, i) => {
    blocks.push(paragraph(`${ROMAN_LETTERS[i]}) ${k.code} категория – ${k.name}:`, { indent: false }));
    const placed = admitted
      .filter((a) => a.category_id === k.id && a.place !== null)
      .sort((x, y) => (x.place ?? 0) - (y.place ?? 0));
    if (placed.length === 0) blocks.push(paragraph('места не распределялись ввиду отсутствия заявок.', { indent: false }));
    for (const a of placed) blocks.push(paragraph(`– ${a.applicant_name} – ${a.place} место`, { indent: false }));
    const tb = k.tiebreak as { basis?: string } | null;
    if (tb?.basis)
      blocks.push(paragraph(`При равенстве результатов голосования места определены: ${tb.basis}.`, { indent: false }));
  });
  const recommended = admitted.filter((a) => a.recommended).sort((x, y) => (x.place ?? 0) - (y.place ?? 0));
  let n = 2;
  if (recommended.length) {
    const byCategory = categories
      .map((k) => ({ k, list: recommended.filter((a) => a.category_id === k.id) }))
      .filter((x) => x.list.length)
      .map(
        (x) =>
          `${x.list.map((a) => a.applicant_name).join(' и ')} – победителей ${contestName.replace('регионального этапа Всероссийского конкурса', 'регионального этапа конкурса')} в ${x.k.code} категории ${q(x.k.name)}`,
      );
    blocks.push(
      paragraph(
        `${n}. Рекомендовать для участия в федеральном этапе Всероссийского конкурса ${q(c.title)} конкурсные заявки: ${byCategory.join('; ')}.`,
      ),
    );
    n += 1;
  }
  for (const a of assignments) {
    blocks.push(paragraph(`${n}. ${a.responsible}: ${a.text}${a.due_on ? ` в срок до ${dateWords(a.due_on)}` : ''}.`));
    n += 1;
  }
  return {
    title: `Протокол №${c.protocol_number ?? ''} заседания региональной комиссии ${q(c.title)} ${c.year}`,
    author: c.region_name,
    subject: c.nomination,
    ...(c.approved_on && { createdAt: new Date(`${c.approved_on}T00:00:00Z`) }),
    blocks,
  };
}

function plural(n: number, one: string, few: string, many: string) {
  const a = n % 100;
  const b = n % 10;
  if (a >= 11 && a <= 14) return many;
  if (b === 1) return one;
  if (b >= 2 && b <= 4) return few;
  return many;
}
