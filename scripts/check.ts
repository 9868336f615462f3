/**
 * `npm run check`: the typecheck and the lint over one TypeScript program. `tsc --noEmit` and
 * `eslint .` each build the whole program (≈ 4,300 files, most of them the CRM clients' and the
 * SDK's declarations) before their own work; here the lint's typed rules read the types the
 * typecheck has already resolved (typescript-eslint's `programs`). The same rules and files as
 * `npm run typecheck` and `npm run lint`, which stay for editors and single runs: the files outside
 * tsconfig.json (the plain JavaScript ones) keep eslint.config.js's own project service.
 *
 * Measured on 2 AMD EPYC cores: 71.5 s of CPU against 29.3 + 55.9 s for the two commands apart.
 * Exits 1 when either finds anything (the lint with `--max-warnings 0`'s rule: warnings fail too).
 */
import ts from 'typescript';
import { ESLint } from 'eslint';

function typecheck(): { program: ts.Program; errors: number } {
  const configPath = ts.findConfigFile(process.cwd(), (path) => ts.sys.fileExists(path), 'tsconfig.json');
  if (!configPath) throw new Error(`check: no tsconfig.json in ${process.cwd()}`);
  const config = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path));
  if (config.error) throw new Error(ts.formatDiagnostic(config.error, formatHost));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, process.cwd(), undefined, configPath);
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, projectReferences: parsed.projectReferences ?? [] });
  const diagnostics = [...parsed.errors, ...ts.getPreEmitDiagnostics(program)];
  if (diagnostics.length) console.log(ts.formatDiagnosticsWithColorAndContext(diagnostics, formatHost));
  return { program, errors: diagnostics.length };
}

const formatHost: ts.FormatDiagnosticsHost = {
  getCanonicalFileName: (name) => name,
  getCurrentDirectory: () => process.cwd(),
  getNewLine: () => '\n',
};

async function lint(program: ts.Program): Promise<number> {
  const eslint = new ESLint({
    overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parserOptions: { projectService: false, project: false, programs: [program] } } }],
  });
  const results = await eslint.lintFiles(['.']);
  const problems = results.reduce((sum, r) => sum + r.errorCount + r.warningCount, 0);
  if (problems) console.log(await (await eslint.loadFormatter('stylish')).format(results));
  return problems;
}

const { program, errors } = typecheck();
const problems = await lint(program);
if (errors || problems) {
  console.error(`check: ${errors} type error(s), ${problems} lint problem(s)`);
  process.exit(1);
}
