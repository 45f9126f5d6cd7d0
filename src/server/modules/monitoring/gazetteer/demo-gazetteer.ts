import { parseGazetteerCsv } from './csv.ts';
import type { GazetteerEntry, PlaceId } from './gazetteer.ts';

/**
 * The demo gazetteer for the demo municipalities of Кузбасс (modules/demo: kemerovo, belovo, mariinsk, kalininskoe),
 * in the import format (csv.ts). Districts are those of the demo boundaries (demo/boundaries.ts); settlements and
 * streets are real names of those places chosen for illustration, not a complete or verified list. Streets with the
 * same name in two cities (улица Ленина, улица Советская) are there on purpose: they show the ambiguity rules.
 */
export const DEMO_GAZETTEER_CSV = `kind;name;municipality_slug;aliases;strict
# Кемеровский городской округ
municipality;Кемерово;kemerovo;Кемеровский городской округ
district;Заводский район;kemerovo;Заводский
district;Центральный район;kemerovo;
district;Ленинский район;kemerovo;Ленинский
district;Рудничный район;kemerovo;Рудничный
settlement;Кедровка;kemerovo;;да
settlement;Лесная Поляна;kemerovo;;да
settlement;Промышленновский;kemerovo;
street;улица Весенняя;kemerovo;
street;проспект Ленина;kemerovo;
street;проспект Советский;kemerovo;
street;проспект Кузнецкий;kemerovo;
street;проспект Октябрьский;kemerovo;
street;бульвар Строителей;kemerovo;
street;улица Тухачевского;kemerovo;
street;улица Красная;kemerovo;
street;Притомская набережная;kemerovo;
# Беловский городской округ
municipality;Белово;belovo;Беловский городской округ
settlement;пгт Грамотеино;belovo;
settlement;пгт Бачатский;belovo;
settlement;пгт Инской;belovo;
settlement;Новый Городок;belovo;;да
street;улица Ленина;belovo;
street;улица Советская;belovo;
street;улица Юбилейная;belovo;
street;улица Октябрьская;belovo;
street;улица Железнодорожная;belovo;
# Мариинское городское поселение
municipality;Мариинск;mariinsk;Мариинское городское поселение
street;улица Ленина;mariinsk;
street;улица Советская;mariinsk;
street;улица Котовского;mariinsk;
street;улица Пролетарская;mariinsk;
# Калининское сельское поселение
municipality;Калининское сельское поселение;kalininskoe;Калининское поселение|Калининское СП|Калининское
`;

const SLUGS = ['kemerovo', 'belovo', 'mariinsk', 'kalininskoe'] as const;

/**
 * The demo gazetteer's entries. `municipalityIdOf` maps a demo municipality's slug to the id the caller uses (the
 * database id after seeding); by default the slug itself is the id.
 */
export function demoGazetteerEntries(municipalityIdOf: (slug: string) => PlaceId = (slug) => slug): GazetteerEntry[] {
  const { entries, errors } = parseGazetteerCsv(DEMO_GAZETTEER_CSV, new Map(SLUGS.map((s) => [s, municipalityIdOf(s)])));
  if (errors.length) throw new Error(`demo gazetteer: ${errors.map((e) => e.message).join('; ')}`);
  return entries;
}
