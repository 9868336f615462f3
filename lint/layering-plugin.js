// The design's layering, as lint rules that follow imports through other modules (design.md, Layers):
// `no-reaching` refuses a module that reaches, through any chain of runtime imports, a package or a
// project folder its layer must not run; `feature-surface` makes a feature folder's index.ts the only
// way in from outside it.
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { moduleFacts, resolveSpecifier, walkRuntimeImports } from './import-graph.js';

const ROOT = resolve(import.meta.dirname, '..');
const projectPath = (file) => relative(ROOT, file).split(sep).join('/');

/** `pattern` ends in `/` for a project folder (`workflows/`), else names a package (`@temporalio/workflow`, `node:*`). */
function matches(pattern, target) {
  if (pattern.endsWith('/')) return target.file !== undefined && projectPath(target.file).startsWith(pattern);
  if (target.module === undefined) return false;
  if (pattern.endsWith('*')) return target.module.startsWith(pattern.slice(0, -1));
  return target.module === pattern;
}

/** @type {import('eslint').Rule.RuleModule} */
const noReaching = {
  meta: {
    type: 'problem',
    docs: { description: 'Refuses a module whose runtime imports reach, directly or through other modules, what its layer must not run.' },
    schema: [{ type: 'object', properties: { forbid: { type: 'array', items: { type: 'object', properties: { pattern: { type: 'string' }, message: { type: 'string' } }, required: ['pattern', 'message'], additionalProperties: false } } }, required: ['forbid'], additionalProperties: false }],
  },
  create(context) {
    const forbid = context.options[0]?.forbid ?? [];
    return {
      Program(program) {
        const file = resolve(context.filename);
        const facts = moduleFacts(file, context.sourceCode.text);
        const reported = new Set();
        walkRuntimeImports(file, facts, (target, chain, first) => {
          const rule = forbid.find((candidate) => matches(candidate.pattern, target));
          if (!rule || reported.has(rule.pattern)) return;
          reported.add(rule.pattern);
          const via = chain.map((step) => (step.startsWith(ROOT) ? projectPath(step) : step)).join(' → ');
          const line = first.node.getSourceFile().getLineAndCharacterOfPosition(first.node.getStart()).line + 1;
          const node = program.body.find((statement) => statement.loc?.start.line === line) ?? program;
          context.report({ node, message: `${rule.message} (${via})` });
        });
      },
    };
  },
};

/** The feature folder (a folder with an index.ts directly under one of `layers`) that holds `file`. */
function featureFolderOf(file, layers) {
  const path = projectPath(file).split('/');
  if (path.length < 3 || !layers.includes(path[0])) return undefined;
  const folder = join(ROOT, path[0], path[1]);
  return existsSync(join(folder, 'index.ts')) ? folder : undefined;
}

/** @type {import('eslint').Rule.RuleModule} */
const featureSurface = {
  meta: {
    type: 'problem',
    docs: { description: "A feature folder's index.ts is its public surface: other folders import from it, never from a file inside." },
    schema: [{ type: 'object', properties: { layers: { type: 'array', items: { type: 'string' } } }, required: ['layers'], additionalProperties: false }],
  },
  create(context) {
    const layers = context.options[0]?.layers ?? [];
    const file = resolve(context.filename);
    const own = featureFolderOf(file, layers);
    const check = (node) => {
      const specifier = node.source?.value;
      if (typeof specifier !== 'string' || !specifier.startsWith('.')) return;
      const target = resolveSpecifier(file, specifier);
      if (!target.file) return;
      const folder = featureFolderOf(target.file, layers);
      if (!folder || folder === own || target.file === join(folder, 'index.ts')) return;
      const wanted = relative(dirname(file), folder).split(sep).join('/');
      context.report({ node: node.source, message: `${projectPath(target.file)} is inside the feature folder ${projectPath(folder)}/: import it from its index ('${wanted.startsWith('.') ? wanted : `./${wanted}`}').` });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: (node) => check({ source: node.source }) };
  },
};

export default { meta: { name: 'layering' }, rules: { 'no-reaching': noReaching, 'feature-surface': featureSurface } };
