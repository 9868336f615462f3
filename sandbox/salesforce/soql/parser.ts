/**
 * A recursive-descent parser for the SOQL the bridge sends: field lists, WHERE with AND/OR/NOT and
 * parentheses (mixing AND and OR without parentheses is refused, as Salesforce does), comparisons,
 * IN / NOT IN, LIKE, NULL, date and date-time literals, ORDER BY … ASC|DESC NULLS FIRST|LAST,
 * LIMIT and OFFSET.
 */
import { parseInstant } from '../datetime';
import { SalesforceError } from '../errors';
import type { Comparator, Condition, Literal, OrderItem, SoqlQuery } from './ast';
import { malformed, tokenize, type Token } from './lexer';

class Parser {
  private position = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private next(): Token {
    const token = this.tokens[this.position++];
    if (!token) throw malformed('unexpected end of query');
    return token;
  }

  private isKeyword(word: string, token = this.peek()): boolean {
    return token?.kind === 'word' && token.text.toUpperCase() === word;
  }

  private expectKeyword(word: string): void {
    const token = this.next();
    if (!this.isKeyword(word, token)) throw malformed(`expecting '${word}', found '${describe(token)}'`);
  }

  private expectPunct(text: '(' | ')' | ','): void {
    const token = this.next();
    if (token.kind !== 'punct' || token.text !== text) throw malformed(`expecting '${text}', found '${describe(token)}'`);
  }

  private identifier(): string {
    const token = this.next();
    if (token.kind !== 'word') throw malformed(`unexpected token: '${describe(token)}'`);
    return token.text;
  }

  parse(): SoqlQuery {
    this.expectKeyword('SELECT');
    const fields = [this.identifier()];
    while (this.peek()?.kind === 'punct' && (this.peek() as { text: string }).text === ',') {
      this.next();
      fields.push(this.identifier());
    }
    this.expectKeyword('FROM');
    const query: SoqlQuery = { fields, from: this.identifier(), orderBy: [] };
    if (this.isKeyword('WHERE')) {
      this.next();
      query.where = this.condition();
    }
    if (this.isKeyword('ORDER')) {
      this.next();
      this.expectKeyword('BY');
      query.orderBy = this.orderBy();
    }
    if (this.isKeyword('LIMIT')) {
      this.next();
      query.limit = this.integer();
    }
    if (this.isKeyword('OFFSET')) {
      this.next();
      query.offset = this.integer();
      if (query.offset > 2000) throw new SalesforceError('NUMBER_OUTSIDE_VALID_RANGE', 'Maximum SOQL offset allowed is 2000');
    }
    const trailing = this.peek();
    if (trailing) throw malformed(`unexpected token: '${describe(trailing)}'`);
    return query;
  }

  private integer(): number {
    const token = this.next();
    if (token.kind !== 'number' || !Number.isInteger(token.value) || token.value < 0) throw malformed(`expecting a non-negative integer, found '${describe(token)}'`);
    return token.value;
  }

  private orderBy(): OrderItem[] {
    const items: OrderItem[] = [];
    for (;;) {
      const field = this.identifier();
      let descending = false;
      if (this.isKeyword('ASC') || this.isKeyword('DESC')) descending = this.identifier().toUpperCase() === 'DESC';
      let nullsLast = descending;
      if (this.isKeyword('NULLS')) {
        this.next();
        const which = this.identifier().toUpperCase();
        if (which !== 'FIRST' && which !== 'LAST') throw malformed(`expecting FIRST or LAST, found '${which}'`);
        nullsLast = which === 'LAST';
      }
      items.push({ field, descending, nullsLast });
      const token = this.peek();
      if (token?.kind !== 'punct' || token.text !== ',') return items;
      this.next();
    }
  }

  /** AND-chains and OR-chains; a chain of one kind may not continue with the other. */
  private condition(): Condition {
    const first = this.unary();
    const joiner = this.isKeyword('AND') ? 'AND' : this.isKeyword('OR') ? 'OR' : undefined;
    if (!joiner) return first;
    const items = [first];
    while (this.isKeyword(joiner)) {
      this.next();
      items.push(this.unary());
    }
    const other = joiner === 'AND' ? 'OR' : 'AND';
    if (this.isKeyword(other)) throw malformed(`unexpected token: '${other}' (use parentheses to combine AND and OR)`);
    return { kind: joiner === 'AND' ? 'and' : 'or', items };
  }

  private unary(): Condition {
    if (this.isKeyword('NOT')) {
      this.next();
      return { kind: 'not', item: this.unary() };
    }
    const token = this.peek();
    if (token?.kind === 'punct' && token.text === '(') {
      this.next();
      const inner = this.condition();
      this.expectPunct(')');
      return inner;
    }
    return this.comparison();
  }

  private comparison(): Condition {
    const field = this.identifier();
    const token = this.next();
    if (token.kind === 'op') {
      const op: Comparator = token.text === '<>' ? '!=' : token.text;
      return { kind: 'compare', field, op, value: this.literal() };
    }
    if (this.isKeyword('LIKE', token)) {
      const pattern = this.next();
      if (pattern.kind !== 'string') throw malformed('LIKE needs a quoted pattern');
      return { kind: 'like', field, pattern: pattern.value };
    }
    const negated = this.isKeyword('NOT', token);
    if (negated) this.expectKeyword('IN');
    else if (!this.isKeyword('IN', token)) throw malformed(`unexpected token: '${describe(token)}'`);
    this.expectPunct('(');
    const values = [this.literal()];
    for (let t = this.peek(); t?.kind === 'punct' && t.text === ','; t = this.peek()) {
      this.next();
      values.push(this.literal());
    }
    this.expectPunct(')');
    return { kind: 'in', field, negated, values };
  }

  private literal(): Literal {
    const token = this.next();
    switch (token.kind) {
      case 'string':
        return { kind: 'string', value: token.value };
      case 'number':
        return { kind: 'number', value: token.value };
      case 'date':
        return { kind: 'date', text: token.text };
      case 'datetime': {
        const millis = parseInstant(token.text);
        if (millis === undefined) throw malformed(`invalid date-time literal: ${token.text}`);
        return { kind: 'datetime', millis };
      }
      case 'word': {
        const word = token.text.toUpperCase();
        if (word === 'NULL') return { kind: 'null' };
        if (word === 'TRUE' || word === 'FALSE') return { kind: 'boolean', value: word === 'TRUE' };
        break;
      }
      default:
        break;
    }
    throw malformed(`unexpected token: '${describe(token)}'`);
  }
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'string':
      return `'${token.value}'`;
    case 'number':
      return String(token.value);
    default:
      return token.text;
  }
}

export function parseSoql(soql: string): SoqlQuery {
  return new Parser(tokenize(soql)).parse();
}
