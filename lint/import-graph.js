// The project's import graph as the running code sees it: runtime imports only (`import type` and
// all-type import lists are erased by TypeScript), followed file to file from the sources on disk.
// Through an index that only re-exports, only the re-exports a caller names are followed, as the
// workflow bundler does (worker/workflow-bundle-options.ts), so a folder's surface costs a caller
// only the modules it uses.
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import ts from 'typescript';

const RESOLUTION = { moduleResolution: ts.ModuleResolutionKind.Bundler, module: ts.ModuleKind.ESNext, allowJs: false };
const RESOLVE_HOST = { fileExists: ts.sys.fileExists, readFile: ts.sys.readFile };

/** @typedef {{ specifier: string, names: string[] | 'all', node: ts.Node }} RuntimeImport */
/** @typedef {{ imports: RuntimeImport[], reexports: Map<string, string> | null, star: string[] }} ModuleFacts */

/** @type {Map<string, { mtime: number, facts: ModuleFacts }>} */
const cache = new Map();

/** @param {ts.ImportDeclaration} node */
function importedNames(node) {
  const clause = node.importClause;
  if (!clause) return 'all';
  if (clause.isTypeOnly) return [];
  const names = [];
  if (clause.name) names.push('default');
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) return 'all';
  if (bindings) for (const element of bindings.elements) if (!element.isTypeOnly) names.push((element.propertyName ?? element.name).text);
  return names;
}

/** Runtime imports of a source text, and its re-exports by name when it is an index that only re-exports. */
export function moduleFacts(fileName, text) {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  /** @type {RuntimeImport[]} */
  const imports = [];
  /** @type {Map<string, string>} */
  const reexports = new Map();
  const star = [];
  let onlyReexports = true;
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      onlyReexports = false;
      const names = importedNames(statement);
      if (names === 'all' || names.length > 0) imports.push({ specifier: statement.moduleSpecifier.text, names, node: statement });
    } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)) {
      if (statement.isTypeOnly) continue;
      const specifier = statement.moduleSpecifier.text;
      const clause = statement.exportClause;
      if (!clause || ts.isNamespaceExport(clause)) {
        star.push(specifier);
        imports.push({ specifier, names: 'all', node: statement });
        continue;
      }
      const names = clause.elements.filter((e) => !e.isTypeOnly);
      for (const element of names) reexports.set(element.name.text, specifier);
      if (names.length > 0) imports.push({ specifier, names: names.map((e) => (e.propertyName ?? e.name).text), node: statement });
    } else if (!ts.isTypeAliasDeclaration(statement) && !ts.isInterfaceDeclaration(statement)) {
      onlyReexports = false;
    }
  }
  const visit = (node) => {
    if (ts.isCallExpression(node) && node.arguments.length > 0 && ts.isStringLiteralLike(node.arguments[0])) {
      const dynamic = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const required = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      if (dynamic || required) imports.push({ specifier: node.arguments[0].text, names: 'all', node });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { imports, reexports: onlyReexports ? reexports : null, star };
}

function factsOf(file) {
  const mtime = statSync(file).mtimeMs;
  const hit = cache.get(file);
  if (hit && hit.mtime === mtime) return hit.facts;
  const facts = moduleFacts(file, readFileSync(file, 'utf8'));
  cache.set(file, { mtime, facts });
  return facts;
}

/** A project file for a relative or absolute specifier; a package name (`@temporalio/workflow`, `node:fs`) otherwise. */
export function resolveSpecifier(fromFile, specifier) {
  if (!specifier.startsWith('.') && !specifier.startsWith('/')) {
    const parts = specifier.split('/');
    return { module: specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0] };
  }
  const resolved = ts.resolveModuleName(specifier, fromFile, RESOLUTION, RESOLVE_HOST).resolvedModule;
  if (resolved && !resolved.isExternalLibraryImport && /\.[cm]?tsx?$/.test(resolved.resolvedFileName) && !resolved.resolvedFileName.endsWith('.d.ts')) {
    return { file: resolve(resolved.resolvedFileName) };
  }
  return { module: resolve(dirname(fromFile), specifier) };
}

/**
 * Everything a module reaches at run time, each with the chain of files that leads to it, first found
 * first. `visit(target, chain)` returns true to stop the walk.
 * @param {string} rootFile
 * @param {ModuleFacts} rootFacts
 * @param {(target: { file?: string, module?: string }, chain: string[], first: RuntimeImport) => boolean | void} visit
 */
export function walkRuntimeImports(rootFile, rootFacts, visit) {
  const seen = new Set();
  /** @type {Array<{ file: string, facts: ModuleFacts, names: string[] | 'all', chain: string[], first: RuntimeImport | null }>} */
  const stack = [{ file: rootFile, facts: rootFacts, names: 'all', chain: [rootFile], first: null }];
  while (stack.length > 0) {
    const { file, facts, names, chain, first } = /** @type {NonNullable<ReturnType<typeof stack.pop>>} */ (stack.pop());
    let followed = facts.imports;
    if (facts.reexports && names !== 'all') {
      const wanted = new Set(names.map((name) => facts.reexports?.get(name)).filter(Boolean));
      followed = facts.imports.filter((entry) => wanted.has(entry.specifier) || facts.star.includes(entry.specifier));
    }
    for (const entry of followed) {
      const target = resolveSpecifier(file, entry.specifier);
      const key = `${target.file ?? target.module}|${target.file && entry.names !== 'all' ? entry.names.join(',') : '*'}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const head = first ?? entry;
      const next = [...chain, target.file ?? target.module ?? ''];
      if (visit(target, next, head) === true) return;
      if (target.file) stack.push({ file: target.file, facts: factsOf(target.file), names: entry.names, chain: next, first: head });
    }
  }
}
