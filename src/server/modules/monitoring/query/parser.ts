import { isSpace, isWordPart, isWordStart, PREFIX_MIN, scanWords, wordForm } from './tokenize.ts';
import type { ParseResult, Query, QueryNode, TermItem, TermNode } from './types.ts';

/**
 * The query language (README.md has the user's version):
 *
 *   query   := or
 *   or      := and (OR and)*
 *   and     := not ((AND)? not)*          adjacent operands are joined by AND
 *   not     := NOT not | near
 *   near    := primary (NEAR/n primary)*   left-associative; its operands must be positional (see below)
 *   primary := word | prefix* | "phrase" | ( or )
 *
 * Precedence, tightest first: NEAR/n, NOT, AND (written or implicit), OR. Operators are written in capitals:
 * AND/И, OR/ИЛИ, NOT/НЕ; NEAR/n or РЯДОМ/n in any case (the slash makes them unambiguous). The same words in lower
 * case are refused with a hint (a person typing «яма или выбоина» means OR, not the word «или»); to search for such
 * a word, quote it. A positional operand is a term or an OR of positional operands or a NEAR; AND and NOT inside NEAR
 * are refused, since they have no position.
 *
 * Errors carry `position`, the 0-based index of the offending character in the query; the Russian message counts
 * characters from 1, as a person does («открытая в позиции 13» is index 12).
 */

/** Longest accepted query text, in UTF-16 code units. */
export const MAX_QUERY_LENGTH = 2000;
/** Most terms (words, prefixes, phrases) in one query. */
export const MAX_TERMS = 200;
/** Deepest nesting of brackets and NOTs. */
export const MAX_DEPTH = 32;
/** Largest n of NEAR/n. */
export const MAX_NEAR = 50;

type Lexeme =
  | { t: 'term'; node: TermNode }
  | { t: '(' | ')' | 'end'; from: number }
  | { t: 'and' | 'or' | 'not'; from: number; word: string }
  | { t: 'near'; from: number; word: string; distance: number };

class Refusal {
  constructor(
    readonly position: number,
    readonly message: string,
  ) {}
}

const refuse = (position: number, message: string): never => {
  throw new Refusal(position, message);
};

const OPERATORS = new Map<string, 'and' | 'or' | 'not'>([
  ['AND', 'and'],
  ['И', 'and'],
  ['OR', 'or'],
  ['ИЛИ', 'or'],
  ['NOT', 'not'],
  ['НЕ', 'not'],
]);
const OPERATOR_LIKE = /^(?:and|or|not|и|или|не)$/i;
const NEAR_WORD = /^(?:near|рядом)$/i;
const UPPER_NEAR = /^(?:NEAR|РЯДОМ)$/;
const QUOTES = new Map([
  ['"', '"'],
  ['«', '»'],
  ['“', '”'],
  ['„', '“'],
]);
const HYPHENS = new Set([0x2d, 0x2010, 0x2011]);
const HINTS = new Map([
  ['&', 'для «и» пишите AND'],
  ['|', 'для «или» пишите OR'],
  ['!', 'для исключения пишите NOT'],
  ['-', 'для исключения пишите NOT'],
  ['+', 'слова и так обязательны, + не нужен'],
  [',', 'запятая не оператор: между словами поставьте OR или AND'],
  [';', 'между словами поставьте OR или AND'],
  ['~', 'для близости слов пишите NEAR/3'],
]);

const human = (index: number) => index + 1;

/** The items of a word or of a phrase's content: text[from, to), `*` right after a word makes it a prefix. */
function termItems(text: string, from: number, to: number): TermItem[] {
  const starts: number[] = [];
  const ends: number[] = [];
  scanWords(text.slice(from, to), starts, ends);
  return starts.map((s, i) => {
    const a = from + s;
    const b = from + ends[i]!;
    const form = wordForm(text.slice(a, b));
    if (text.charCodeAt(b) !== 0x2a) return { kind: 'stem', value: form.stem };
    if (form.norm.length < PREFIX_MIN)
      refuse(
        a,
        `Префикс «${text.slice(a, b + 1)}» слишком короткий: перед * нужно не меньше ${PREFIX_MIN} букв (позиция ${human(a)})`,
      );
    return { kind: 'prefix', value: form.norm };
  }) satisfies TermItem[];
}

function lex(text: string): Lexeme[] {
  const out: Lexeme[] = [];
  const n = text.length;
  let terms = 0;
  const pushTerm = (node: TermNode) => {
    if (++terms > MAX_TERMS) refuse(node.from, `Слишком много слов в запросе: не больше ${MAX_TERMS}`);
    out.push({ t: 'term', node });
  };
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    const ch = text[i]!;
    if (isSpace(c)) {
      i++;
    } else if (ch === '(' || ch === ')') {
      out.push({ t: ch, from: i });
      i++;
    } else if (QUOTES.has(ch)) {
      const close = text.indexOf(QUOTES.get(ch)!, i + 1);
      if (close < 0) refuse(i, `Не закрыта кавычка, открытая в позиции ${human(i)}`);
      const items = termItems(text, i + 1, close);
      if (items.length === 0) refuse(i, `В кавычках (позиция ${human(i)}) нет ни одного слова`);
      pushTerm({ type: 'term', items, phrase: true, source: text.slice(i, close + 1), from: i, to: close + 1 });
      i = close + 1;
    } else if (c === 0x23 && i + 1 < n && isWordStart(text.charCodeAt(i + 1))) {
      i++; // #hashtag: its text is a word, as in posts
    } else if (isWordStart(c)) {
      // A word, its hyphenated parts joined: «северо-западный» is one term of two items.
      let e = i + 1;
      for (;;) {
        while (e < n && isWordPart(text.charCodeAt(e))) e++;
        if (e + 1 < n && HYPHENS.has(text.charCodeAt(e)) && isWordStart(text.charCodeAt(e + 1))) e++;
        else break;
      }
      const raw = text.slice(i, e);
      const op = OPERATORS.get(raw);
      if (op) {
        out.push({ t: op, from: i, word: raw });
        i = e;
      } else if (NEAR_WORD.test(raw) && text[e] === '/') {
        let d = e + 1;
        while (d < n && text.charCodeAt(d) >= 0x30 && text.charCodeAt(d) <= 0x39) d++;
        if (d === e + 1) refuse(e + 1, `После ${raw}/ ожидается число — на сколько слов могут отстоять слова, например ${raw}/3`);
        if (d < n && isWordPart(text.charCodeAt(d))) refuse(d, `После ${text.slice(i, d)} ожидается пробел, а не «${text[d]}»`);
        const distance = Number(text.slice(e + 1, d));
        if (distance < 1 || distance > MAX_NEAR)
          refuse(e + 1, `Расстояние в ${text.slice(i, d)} должно быть от 1 до ${MAX_NEAR} слов`);
        out.push({ t: 'near', from: i, word: text.slice(i, d), distance });
        i = d;
      } else if (UPPER_NEAR.test(raw)) {
        refuse(i, `После ${raw} ожидается расстояние через косую черту, например ${raw}/3`);
      } else if (OPERATOR_LIKE.test(raw)) {
        const upper = raw.toUpperCase();
        refuse(
          i,
          `«${raw}» похоже на оператор: операторы пишутся заглавными (${upper}), а чтобы искать само слово, возьмите его в кавычки ("${raw}")`,
        );
      } else {
        const prefix = text.charCodeAt(e) === 0x2a;
        const items = termItems(text, i, prefix ? e + 1 : e);
        const to = prefix ? e + 1 : e;
        if (prefix && to < n && isWordPart(text.charCodeAt(to)))
          refuse(e, `Звёздочка ставится только в конце слова (позиция ${human(e)}), например дорог*`);
        pushTerm({ type: 'term', items, phrase: false, source: text.slice(i, to), from: i, to });
        i = to;
      }
    } else if (ch === '*') {
      refuse(i, `Звёздочка ставится сразу после начала слова, например дорог* (позиция ${human(i)})`);
    } else if (ch === '»' || ch === '”') {
      refuse(i, `Закрывающая кавычка в позиции ${human(i)} без открывающей`);
    } else {
      const code = text.codePointAt(i)!;
      const shown = String.fromCodePoint(code);
      const hint = HINTS.get(shown);
      refuse(
        i,
        `Непонятный символ «${shown}» в позиции ${human(i)}: ${hint ?? 'если он нужен в поиске, возьмите текст в кавычки'}`,
      );
    }
  }
  out.push({ t: 'end', from: n });
  return out;
}

const startsPrimary = (x: Lexeme) => x.t === 'term' || x.t === '(';
const startsOperand = (x: Lexeme) => startsPrimary(x) || x.t === 'not';

/** The first part of a NEAR operand that has no position (an AND or a NOT), if any. */
function unpositional(node: QueryNode): QueryNode | undefined {
  if (node.type === 'term' || node.type === 'near') return undefined;
  if (node.type === 'or') {
    for (const child of node.children) {
      const bad = unpositional(child);
      if (bad) return bad;
    }
    return undefined;
  }
  return node;
}

class Parser {
  private at = 0;
  private depth = 0;

  constructor(private readonly lexemes: Lexeme[]) {}

  private peek(): Lexeme {
    return this.lexemes[this.at]!;
  }

  private take(): Lexeme {
    return this.lexemes[this.at++]!;
  }

  private enter(from: number): void {
    if (++this.depth > MAX_DEPTH) refuse(from, `Слишком глубокая вложенность скобок и NOT: не больше ${MAX_DEPTH}`);
  }

  query(): QueryNode {
    if (this.peek().t === 'end') refuse(0, 'Пустой запрос: напишите хотя бы одно слово');
    const root = this.or();
    const rest = this.peek();
    if (rest.t === ')') refuse(rest.from, `Лишняя закрывающая скобка в позиции ${human(rest.from)}: для неё нет открывающей`);
    return root;
  }

  private rightOperand(op: { from: number; word: string }): void {
    if (!startsOperand(this.peek())) refuse(op.from, `Оператор ${op.word} без правого операнда`);
  }

  private or(): QueryNode {
    const children = [this.and()];
    for (let x = this.peek(); x.t === 'or'; x = this.peek()) {
      this.take();
      this.rightOperand(x);
      children.push(this.and());
    }
    return children.length === 1 ? children[0]! : { type: 'or', children, from: children[0]!.from, to: children.at(-1)!.to };
  }

  private and(): QueryNode {
    const children = [this.not()];
    for (;;) {
      const x = this.peek();
      if (x.t === 'and') {
        this.take();
        this.rightOperand(x);
      } else if (!startsOperand(x)) {
        break;
      }
      children.push(this.not());
    }
    return children.length === 1 ? children[0]! : { type: 'and', children, from: children[0]!.from, to: children.at(-1)!.to };
  }

  private not(): QueryNode {
    const x = this.peek();
    if (x.t !== 'not') return this.near();
    this.take();
    if (!startsOperand(this.peek()))
      refuse(x.from, `Оператор ${x.word} без операнда: после него ожидается слово, фраза или скобка`);
    this.enter(x.from);
    const child = this.not();
    this.depth--;
    return { type: 'not', child, from: x.from, to: child.to };
  }

  private near(): QueryNode {
    let left = this.primary();
    for (let x = this.peek(); x.t === 'near'; x = this.peek()) {
      this.take();
      const next = this.peek();
      if (next.t === 'not')
        refuse(
          next.from,
          `${x.word} связывает слова, фразы и группы из них через OR; ${next.word} сразу после него не допускается`,
        );
      if (!startsPrimary(next)) refuse(x.from, `Оператор ${x.word} без правого операнда`);
      const right = this.primary();
      for (const side of [left, right]) {
        const bad = unpositional(side);
        if (bad)
          refuse(
            bad.from,
            `${x.word} связывает только слова, фразы, префиксы и группы из них через OR; ${bad.type === 'not' ? 'NOT' : 'AND'} внутри ${x.word} не допускается`,
          );
      }
      left = { type: 'near', left, right, distance: x.distance, from: left.from, to: right.to };
    }
    return left;
  }

  private primary(): QueryNode {
    const x = this.take();
    switch (x.t) {
      case 'term':
        return x.node;
      case '(': {
        if (this.peek().t === ')') refuse(x.from, `Пустые скобки в позиции ${human(x.from)}`);
        this.enter(x.from);
        const inner = this.or();
        this.depth--;
        if (this.peek().t !== ')') refuse(x.from, `Не закрыта скобка, открытая в позиции ${human(x.from)}`);
        this.take();
        return inner;
      }
      case 'and':
      case 'or':
      case 'near':
        return refuse(x.from, `Оператор ${x.word} без левого операнда`);
      case ')':
        return refuse(x.from, `Лишняя закрывающая скобка в позиции ${human(x.from)}: для неё нет открывающей`);
      default:
        return refuse(x.from, 'Запрос оборвался: ожидается слово, фраза или скобка');
    }
  }
}

/** Whether the node holds for a post with no words at all — then it needs none of the words it names. */
export function matchesEmptyPost(node: QueryNode): boolean {
  switch (node.type) {
    case 'term':
    case 'near':
      return false;
    case 'and':
      return node.children.every(matchesEmptyPost);
    case 'or':
      return node.children.some(matchesEmptyPost);
    case 'not':
      return !matchesEmptyPost(node.child);
  }
}

function firstNot(node: QueryNode): number | undefined {
  switch (node.type) {
    case 'not':
      return node.from;
    case 'and':
    case 'or':
      for (const child of node.children) {
        const at = firstNot(child);
        if (at !== undefined) return at;
      }
      return undefined;
    default:
      return undefined;
  }
}

/** Parses a query, or says where and why it is refused. Never throws. */
export function parseQuery(text: string): ParseResult {
  try {
    if (text.length > MAX_QUERY_LENGTH) refuse(MAX_QUERY_LENGTH, `Запрос длиннее ${MAX_QUERY_LENGTH} символов`);
    const root = new Parser(lex(text)).query();
    // A query true for a post without any of its words matches almost every post: only NOTs, or «x OR NOT y».
    if (matchesEmptyPost(root))
      refuse(
        firstNot(root) ?? 0,
        'Запрос совпал бы почти с любым постом: NOT только исключает, а обязательного слова нет. Добавьте слово, которое должно быть в посте, например «яма AND NOT снег»',
      );
    return { ok: true, query: { text, root } };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, error: { position: error.position, message: error.message } };
    throw error;
  }
}

function showTerm(term: TermNode): string {
  const words = term.items.map((item) => (item.kind === 'prefix' ? `${item.value}*` : item.value));
  return words.length === 1 ? words[0]! : `"${words.join(' ')}"`;
}

function show(node: QueryNode, nested: boolean): string {
  const wrap = (s: string) => (nested ? `(${s})` : s);
  switch (node.type) {
    case 'term':
      return showTerm(node);
    case 'and':
      return wrap(node.children.map((c) => show(c, true)).join(' AND '));
    case 'or':
      return wrap(node.children.map((c) => show(c, true)).join(' OR '));
    case 'not':
      return `NOT ${show(node.child, true)}`;
    case 'near':
      return wrap(`${show(node.left, true)} NEAR/${node.distance} ${show(node.right, true)}`);
  }
}

/**
 * How the query was understood, for showing to staff: stems instead of words, every group in brackets, the English
 * operators. «яма OR ямы выбоина» → `ям OR (ям AND выбоин)`.
 */
export function explainQuery(query: Query): string {
  return show(query.root, false);
}
