/** Splits SOQL into tokens: identifiers, keywords, quoted strings, numbers, date/datetime literals. */
import { SalesforceError } from '../errors';

export type Token =
  | { kind: 'word'; text: string }
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'datetime'; text: string }
  | { kind: 'date'; text: string }
  | { kind: 'op'; text: '=' | '!=' | '<>' | '<' | '>' | '<=' | '>=' }
  | { kind: 'punct'; text: '(' | ')' | ',' };

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})/;
const DATE = /^\d{4}-\d{2}-\d{2}(?![\dT])/;
const NUMBER = /^-?\d+(\.\d+)?/;
const WORD = /^[A-Za-z_][A-Za-z0-9_.]*(:\d+)?/;
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '"': '"', "'": "'", '\\': '\\', '%': '\\%', _: '\\_' };

export function malformed(detail: string): SalesforceError {
  return new SalesforceError('MALFORMED_QUERY', detail);
}

export function tokenize(soql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < soql.length) {
    const rest = soql.slice(i);
    const char = soql.charAt(i);
    if (/\s/.test(char)) {
      i++;
      continue;
    }
    if (char === "'") {
      let value = '';
      let j = i + 1;
      for (; j < soql.length && soql.charAt(j) !== "'"; j++) {
        if (soql.charAt(j) === '\\') {
          const escaped = ESCAPES[soql.charAt(j + 1)];
          if (escaped === undefined) throw malformed(`Invalid string literal escape at position ${j}`);
          value += escaped;
          j++;
        } else {
          value += soql.charAt(j);
        }
      }
      if (j >= soql.length) throw malformed('unterminated string literal');
      tokens.push({ kind: 'string', value });
      i = j + 1;
      continue;
    }
    const two = rest.slice(0, 2);
    if (two === '!=' || two === '<>' || two === '<=' || two === '>=') {
      tokens.push({ kind: 'op', text: two });
      i += 2;
      continue;
    }
    if (char === '=' || char === '<' || char === '>') {
      tokens.push({ kind: 'op', text: char });
      i++;
      continue;
    }
    if (char === '(' || char === ')' || char === ',') {
      tokens.push({ kind: 'punct', text: char });
      i++;
      continue;
    }
    const match = DATETIME.exec(rest) ?? DATE.exec(rest) ?? NUMBER.exec(rest) ?? WORD.exec(rest);
    if (!match) throw malformed(`unexpected token: '${rest.slice(0, 10)}'`);
    const text = match[0];
    if (DATETIME.test(text)) tokens.push({ kind: 'datetime', text });
    else if (DATE.test(text)) tokens.push({ kind: 'date', text });
    else if (NUMBER.test(text) && /^-?\d/.test(text)) tokens.push({ kind: 'number', value: Number(text) });
    else tokens.push({ kind: 'word', text });
    i += text.length;
  }
  return tokens;
}
