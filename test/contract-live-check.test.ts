/**
 * `sla check --live` against the sandboxes (issue 15): the built-in contract has no errors against
 * the sandbox org seeded for it; a contract naming an unknown rep, a Status value the org lacks and a
 * deleted field has exactly those three errors, each with its path, line and CRM value; and the
 * worker refuses to start on them with the same lines.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkContract, checkContractAgainstCrm } from '../mappings/check';
import { loadContractWithSource, presetPath } from '../mappings/load';
import { startSandboxes, type Sandboxes } from '../sandbox';
import { seedOrgForContract } from '../sandbox/contract-org';
import { checkContractLive } from '../worker/live-check';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'handoff-bridge.mjs');

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolveRun) => child.once('exit', (code) => resolveRun({ code, output })));
}

/** The 1-based line of the only line containing `needle`. */
function lineOf(text: string, needle: string): number {
  const lines = text.split('\n').flatMap((line, i) => (line.includes(needle) ? [i + 1] : []));
  expect(lines, needle).toHaveLength(1);
  return lines[0] ?? 0;
}

describe('the contract checked against the CRMs', () => {
  let sandboxes: Sandboxes;
  let scratch: string;
  let env: NodeJS.ProcessEnv;
  const defaultText = readFileSync(presetPath('default'), 'utf8');
  // Three drifts, each a one-line edit: Tom left (his id no longer exists), SAL's status was renamed
  // (declared in the contract, so only the org lacks it), the disposition field was replaced.
  const brokenText = defaultText
    .replace('- id: 005Hs00000AbCdG', '- id: 005Hs00000ZzZzZ')
    .replace('SAL: { hubspotLifecycle: marketingqualifiedlead, hubspotLeadStatus: IN_PROGRESS, salesforceStatus: Working - Contacted }', 'SAL: { hubspotLifecycle: marketingqualifiedlead, hubspotLeadStatus: IN_PROGRESS, salesforceStatus: Working - Qualified }')
    .replace('  dispositionField: Disposition__c', '  dispositionField: Lead_Disposition__c')
    .replace('crm:\n  leadStatuses: [RECYCLED]', 'crm:\n  leadStatuses: [RECYCLED]\n  salesforceStatuses: [Working - Qualified]')
    .replace("    - { name: Closed_Lost_Reason__c,", "    - { name: Lead_Disposition__c, system: salesforce, type: enum, meaning: The disposition the rep logs }\n    - { name: Closed_Lost_Reason__c,");
  let brokenPath: string;

  beforeAll(async () => {
    expect(brokenText).not.toBe(defaultText);
    sandboxes = await startSandboxes({ hubspot: { searchLagMs: 0 } });
    seedOrgForContract(loadContractWithSource(presetPath('default')).contract, { hubspot: sandboxes.hubspot.store, salesforce: sandboxes.salesforce.store });
    scratch = mkdtempSync(join(tmpdir(), 'live-check-'));
    brokenPath = join(scratch, 'broken.yaml');
    writeFileSync(brokenPath, brokenText);
    const { hubspot, salesforce } = sandboxes;
    env = {
      ...process.env,
      HUBSPOT_BASE_URL: hubspot.baseUrl,
      HUBSPOT_ACCESS_TOKEN: hubspot.accessToken,
      HUBSPOT_PORTAL_ID: hubspot.portalId,
      HUBSPOT_CLIENT_SECRET: hubspot.clientSecret,
      SALESFORCE_LOGIN_URL: salesforce.loginUrl,
      SALESFORCE_INSTANCE_URL: salesforce.instanceUrl,
      SALESFORCE_CLIENT_ID: salesforce.clientId,
      SALESFORCE_CLIENT_SECRET: salesforce.clientSecret,
      LINK_SIGNING_SECRET: randomBytes(32).toString('base64'),
      CODEC_KEYS: `t:${randomBytes(32).toString('base64')}`,
      CODEC_AUTH_TOKEN: randomBytes(24).toString('hex'),
      HANDOFF_CONTRACT: brokenPath,
      // The worker must refuse before it would reach Temporal: nothing listens here.
      TEMPORAL_ADDRESS: '127.0.0.1:9',
    };
  });
  afterAll(async () => {
    await sandboxes?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  const options = () => ({
    hubspot: { accessToken: sandboxes.hubspot.accessToken, basePath: sandboxes.hubspot.baseUrl },
    salesforce: { instanceUrl: sandboxes.salesforce.instanceUrl, loginUrl: sandboxes.salesforce.loginUrl, clientId: sandboxes.salesforce.clientId, clientSecret: sandboxes.salesforce.clientSecret },
  });

  it('finds no error in the built-in contract against the sandbox org', async () => {
    const result = await checkContractLive(loadContractWithSource(presetPath('default')), options());
    expect(result.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('finds the unknown rep, the missing Status value and the deleted field, with path, line and CRM value', async () => {
    const result = await checkContractLive(loadContractWithSource(brokenPath), options());
    const errors = result.findings.filter((f) => f.severity === 'error').map((f) => ({ path: f.path, line: f.line, source: f.source }));
    expect(errors).toEqual([
      { path: 'routing.reps.2.id', line: lineOf(brokenText, '005Hs00000ZzZzZ'), source: brokenPath },
      { path: 'feedback.dispositionField', line: lineOf(brokenText, 'dispositionField: Lead_Disposition__c'), source: brokenPath },
      { path: 'statusMapping.SAL.salesforceStatus', line: lineOf(brokenText, 'salesforceStatus: Working - Qualified'), source: brokenPath },
    ]);
    const messages = result.findings.filter((f) => f.severity === 'error').map((f) => f.message);
    expect(messages[0]).toContain('Salesforce User "005Hs00000ZzZzZ"');
    expect(messages[1]).toContain('Salesforce Lead has no field "Lead_Disposition__c"');
    expect(messages[2]).toContain('Salesforce Lead.Status has no picklist value "Working - Qualified"');
  });

  it('an inactive rep, an archived owner and a missing list are errors too', async () => {
    const parsed = loadContractWithSource(presetPath('default'));
    const { readCrmMetadata } = await import('../activities/crm');
    const metadata = await readCrmMetadata(options(), { repIds: parsed.contract.routing.reps.map((r) => r.id), repEmails: [], listIds: ['118', '999'] });
    const aisha = metadata.salesforce.users.find((u) => u.id.startsWith('005Hs00000AbCdF'));
    expect(aisha?.active).toBe(true);
    const drifted = {
      ...metadata,
      salesforce: { ...metadata.salesforce, users: metadata.salesforce.users.map((u) => (u === aisha ? { ...u, active: false } : u)) },
      hubspot: { ...metadata.hubspot, owners: metadata.hubspot.owners.filter((o) => o.email !== 'tom.becker@northwind.example'), existingListIds: ['118'] },
    };
    const errors = checkContractAgainstCrm(parsed.contract, drifted).filter((f) => f.severity === 'error');
    expect(errors.map((f) => f.path).sort()).toEqual(['rejectionTaxonomy.1.nurtureListId', 'rejectionTaxonomy.2.nurtureListId', 'routing.reps.1.id', 'routing.reps.2.email'].sort());
    expect(errors.find((f) => f.path === 'routing.reps.1.id')?.message).toContain('is inactive');
  });

  it('reads the CRM pool: who routing could choose now, and an unknown group as an error on its line', async () => {
    const sf = sandboxes.salesforce.store;
    const users = sf.list('User');
    const idOf = (prefix: string) => users.find((u) => u.id.startsWith(prefix))?.id ?? '';
    const group = sf.create('Group', { Name: 'Inbound SDRs', DeveloperName: 'Inbound_SDRs_Live', Type: 'Queue' });
    for (const id of [idOf('005Hs00000AbCdE'), idOf('005Hs00000AbCdF')]) sf.create('GroupMember', { GroupId: group.id, UserOrGroupId: id });
    sf.update('User', idOf('005Hs00000AbCdF'), { Out_Of_Office__c: true });
    const withPool = (name: string) => defaultText.replace('routing:\n  policy: weighted\n', `routing:\n  policy: weighted\n  pool: { salesforceGroup: ${name}, outOfOfficeField: Out_Of_Office__c }\n`);
    expect(withPool('X')).not.toBe(defaultText);
    try {
      const path = join(scratch, 'pool.yaml');
      writeFileSync(path, withPool('Inbound_SDRs_Live'));
      const result = await checkContractLive(loadContractWithSource(path), options());
      expect(result.errors).toBe(0);
      const pool = result.findings.filter((f) => /pool/.test(f.message)).map((f) => `${f.path}: ${f.message}`);
      expect(pool).toEqual([
        'routing.reps.1: Aisha Khan gets no new leads from the pool: out of office in Salesforce (their open handoffs keep their clocks)',
        'routing.reps.2: Tom Becker gets no new leads from the pool: not a member of Inbound_SDRs_Live (their open handoffs keep their clocks)',
      ]);

      const unknownPath = join(scratch, 'pool-unknown.yaml');
      const unknownText = withPool('No_Such_Group');
      writeFileSync(unknownPath, unknownText);
      const unknown = await checkContractLive(loadContractWithSource(unknownPath), options());
      const error = unknown.findings.find((f) => f.path === 'routing.pool.salesforceGroup');
      expect(error).toMatchObject({ severity: 'error', line: lineOf(unknownText, 'salesforceGroup: No_Such_Group'), source: unknownPath });
      expect(error?.message).toContain('no public group or queue with API name "No_Such_Group"');
    } finally {
      sf.update('User', idOf('005Hs00000AbCdF'), { Out_Of_Office__c: false });
    }
  });

  it('reads a HubSpot team pool: reps matched by email or owner id, an unknown team and owner id as errors on their lines', async () => {
    const hs = sandboxes.hubspot.store;
    const ownerOf = (email: string) => [...hs.owners.values()].find((o) => o.email === email)?.id ?? '';
    const team = { id: '8801', name: 'Inbound SDRs', primary: true };
    const onTeam = [ownerOf('jordan.lee@northwind.example'), ownerOf('aisha.khan@northwind.example')];
    for (const id of onTeam) hs.changeOwner(id, { teams: [team] });
    const withTeam = (name: string) => defaultText.replace('routing:\n  policy: weighted\n', `routing:\n  policy: weighted\n  pool: { hubspotTeam: ${name} }\n`);
    expect(withTeam('X')).not.toBe(defaultText);
    try {
      const path = join(scratch, 'team.yaml');
      writeFileSync(path, withTeam(team.name));
      const result = await checkContractLive(loadContractWithSource(path), options());
      expect(result.errors, result.lines.join('\n')).toBe(0);
      expect(result.pool?.routable.map((r) => r.name).sort()).toEqual(['Aisha Khan', 'Jordan Lee']);
      expect(result.findings.filter((f) => /pool|out-of-office/.test(f.message)).map((f) => `${f.path}: ${f.message}`)).toEqual([
        'routing.reps.2: Tom Becker gets no new leads from the pool: not a member of Inbound SDRs (their open handoffs keep their clocks)',
        "routing.pool.hubspotTeam: HubSpot owners have no out-of-office field: the pool cannot see a rep away; only their routing.reps outOfOffice dates keep them from new leads",
      ]);

      const unknownText = withTeam('No Such Team').replace('    - id: 005Hs00000AbCdE\n', '    - id: 005Hs00000AbCdE\n      hubspotOwnerId: "999999"\n');
      const unknownPath = join(scratch, 'team-unknown.yaml');
      writeFileSync(unknownPath, unknownText);
      const unknown = await checkContractLive(loadContractWithSource(unknownPath), options());
      expect(unknown.findings.filter((f) => f.severity === 'error').map((f) => [f.path, f.line])).toEqual([
        ['routing.reps.0.hubspotOwnerId', lineOf(unknownText, 'hubspotOwnerId: "999999"')],
        ['routing.pool.hubspotTeam', lineOf(unknownText, 'hubspotTeam: No Such Team')],
      ]);
    } finally {
      for (const id of onTeam) hs.changeOwner(id, { teams: [] });
    }
  });

  it('resolves a rep named by email only to the active Salesforce user with that email', async () => {
    const byEmail = defaultText.replace('    - id: 005Hs00000AbCdE\n      name: Jordan Lee', '    - name: Jordan Lee');
    expect(byEmail).not.toBe(defaultText);
    const path = join(scratch, 'by-email.yaml');
    writeFileSync(path, byEmail);
    const parsed = loadContractWithSource(path);
    expect(parsed.contract.routing.reps[0]?.id).toBe('');
    expect(checkContract(parsed.contract, parsed.sourceMap).find((f) => f.path === 'routing.reps.0.email')?.severity).toBe('warning');
    const result = await checkContractLive(parsed, options());
    expect(result.errors).toBe(0);
    const jordan = sandboxes.salesforce.store.list('User').find((u) => u.fields.Email === 'jordan.lee@northwind.example');
    expect(jordan?.id.slice(0, 15)).toBe('005Hs00000AbCdE');
    expect(result.contract.routing.reps[0]?.id).toBe(jordan?.id);

    const unknownPath = join(scratch, 'unknown-email.yaml');
    writeFileSync(unknownPath, byEmail.replace('email: jordan.lee@northwind.example', 'email: jordan.lee@elsewhere.example'));
    const unknown = await checkContractLive(loadContractWithSource(unknownPath), options());
    expect(unknown.findings.filter((f) => f.severity === 'error').map((f) => f.path)).toContain('routing.reps.0.email');
    expect(unknown.contract.routing.reps[0]?.id).toBe('');
  });

  it('sla check --live prints them and exits 1; the worker refuses to start with the same lines', async () => {
    const check = await run(['sla', 'check', '--live', '--contract', brokenPath], env);
    expect(check.code, check.output).toBe(1);
    const findingLines = check.output.split('\n').filter((l) => l.startsWith('error') && l.includes(brokenPath));
    expect(findingLines).toHaveLength(3);
    const worker = await run(['worker'], env);
    expect(worker.code, worker.output).toBe(1);
    for (const line of findingLines) expect(worker.output).toContain(line);
    expect(worker.output).toContain('refusing to start');
  }, 60_000);
});
