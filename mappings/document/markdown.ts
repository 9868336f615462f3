/** Small Markdown helpers for the SLA document: tables whose cells cannot break the table. */

export function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [
    `| ${header.map(cell).join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ].join('\n');
}

export function mermaidBlock(diagram: string): string {
  return ['```mermaid', diagram, '```'].join('\n');
}

export function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}
