/**
 * Governance from the numbers: the monthly review pack on the contract's fixed agenda, the
 * recalibration trigger (a metric below its bar for N consecutive months), and the quarterly
 * comparison against an earlier saved report. Pure.
 */
import { z } from 'zod';
import { commitmentFigure, type CommitmentFigure, type ReportWindow } from './sla-figures';
import type { LeadFacts } from './metrics-facts';
import type { RejectionRow } from './metrics-funnel';
import type { CommitmentLineage, Contract } from '../contract';
import { WHAT_IF_HINT } from './whatif-link';

export const AGENDA_TITLES: Record<Contract['governance']['monthlyReview']['agenda'][number], string> = {
  commitment_attainment: 'Attainment against each commitment',
  conversion_funnel: 'The conversion funnel',
  rejection_reasons: 'The rejected-lead reasons',
  improvement_action: 'One improvement action',
};

export interface MonthValue {
  month: string;
  value: number | null;
}

export interface RecalibrationTrigger {
  metric: string;
  below: number;
  consecutiveMonths: number;
  months: MonthValue[];
  fired: boolean;
  message: string;
}

export interface ReviewPack {
  month: string;
  chair: string;
  durationMinutes: number;
  agenda: Array<{ item: string; title: string }>;
  improvementAction: string;
  trigger: RecalibrationTrigger;
}

function monthKey(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

function monthWindow(key: string): ReportWindow {
  const [year, month] = key.split('-').map(Number);
  const from = Date.UTC(year ?? 1970, (month ?? 1) - 1, 1);
  const to = Date.UTC(year ?? 1970, month ?? 1, 1);
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

/** The calendar months (UTC) ending with the one that holds `endMs`, oldest first. */
export function monthsEndingAt(endMs: number, count: number): string[] {
  const d = new Date(endMs);
  return Array.from({ length: count }, (_, i) => monthKey(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - (count - 1 - i), 1)));
}

export function recalibrationTrigger(input: { contract: Contract; lineage: CommitmentLineage[]; facts: LeadFacts[]; window: ReportWindow; now: string }): RecalibrationTrigger {
  const t = input.contract.governance.recalibrationTrigger;
  const commitment = input.contract.commitments.find((c) => c.id === t.metric);
  const months = monthsEndingAt(Date.parse(input.window.to) - 1, t.consecutiveMonths).map((month): MonthValue => {
    if (!commitment) return { month, value: null };
    const figure = commitmentFigure({ ...input, window: monthWindow(month), commitment });
    return { month, value: figure.value };
  });
  const fired = months.length > 0 && months.every((m) => m.value !== null && m.value < t.below);
  const shown = months.map((m) => `${m.month}: ${m.value ?? 'no data'}`).join(', ');
  const message = fired
    ? `FIRED: ${t.metric} below ${t.below} for ${t.consecutiveMonths} consecutive months (${shown}): recalibrate the definitions at the next quarterly review`
    : `not fired: ${t.metric} must stay below ${t.below} for ${t.consecutiveMonths} consecutive months (${shown})`;
  return { metric: t.metric, below: t.below, consecutiveMonths: t.consecutiveMonths, months, fired, message };
}

function gap(f: CommitmentFigure): number {
  if (f.value === null || f.met !== false) return 0;
  return Math.abs(f.value - f.target.value) / Math.max(1, Math.abs(f.target.value));
}

/** One action, not a list: the biggest missed commitment, read together with the dominant rejection reason. */
export function improvementAction(contract: Contract, figures: CommitmentFigure[], rejections: RejectionRow[]): string {
  const worst = [...figures].sort((a, b) => gap(b) - gap(a))[0];
  const dominant = rejections.find((r) => r.count > 0 && r.recyclable !== null);
  const feeds = dominant ? contract.feedback.rejectionFeeds.find((f) => f.codes.includes(dominant.code))?.informs : undefined;
  const ownerName = (id: string) => contract.owners.find((o) => o.id === id)?.name ?? id;
  if (worst && gap(worst) > 0) {
    const why = dominant ? `; the dominant rejection reason is ${dominant.code} (${dominant.count})${feeds ? `, which feeds ${feeds}` : ''}` : '';
    return `${ownerName(worst.owner)}: close the gap on "${worst.title}" (${worst.display} against ${worst.target.value} ${worst.target.unit})${why}.`;
  }
  if (dominant && feeds) return `${ownerName(contract.governance.quarterlyRecalibration.owner)}: review ${feeds} against the dominant rejection reason ${dominant.code} (${dominant.count}).`;
  return 'Every measured commitment is met and no rejection reason dominates: keep the contract as signed and re-check next month.';
}

export function reviewPack(input: { contract: Contract; lineage: CommitmentLineage[]; facts: LeadFacts[]; window: ReportWindow; now: string; figures: CommitmentFigure[]; rejections: RejectionRow[] }): ReviewPack {
  const review = input.contract.governance.monthlyReview;
  return {
    month: monthKey(Date.parse(input.window.to) - 1),
    chair: input.contract.owners.find((o) => o.id === review.chair)?.name ?? review.chair,
    durationMinutes: review.durationMinutes,
    agenda: review.agenda.map((item) => ({ item, title: AGENDA_TITLES[item] })),
    improvementAction: improvementAction(input.contract, input.figures, input.rejections),
    trigger: recalibrationTrigger(input),
  };
}

// ---- quarterly comparison ----

/** What a comparison needs from an earlier saved JSON report (older reports may carry more). */
export const earlierReportSchema = z.object({
  generatedAt: z.string(),
  sla: z.object({
    commitments: z.array(
      z.object({
        commitmentId: z.string(),
        title: z.string(),
        value: z.number().nullable(),
        met: z.boolean().nullable(),
        detail: z.record(z.string(), z.number().nullable()).default({}),
      }),
    ),
    rejections: z.array(z.object({ code: z.string(), count: z.number() })),
  }),
});
export type EarlierReport = z.infer<typeof earlierReportSchema>;

export interface QuarterlyComparison {
  earlierGeneratedAt: string;
  commitments: Array<{ commitmentId: string; title: string; then: { value: number | null; met: boolean | null }; now: { value: number | null; met: boolean | null } }>;
  speedToLead: { then: { median: number | null; attainment: number | null }; now: { median: number | null; attainment: number | null } };
  acceptance: { then: number | null; now: number | null };
  dominantReasons: { then: string[]; now: string[] };
  recalibrate: string[];
  /** How to try a recalibration on this quarter's record before signing it (sla whatif). */
  whatIf: typeof WHAT_IF_HINT;
}

function topReasons(rows: Array<{ code: string; count: number }>): string[] {
  return [...rows].filter((r) => r.count > 0).sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)).slice(0, 3).map((r) => `${r.code} (${r.count})`);
}

export function quarterlyComparison(input: { contract: Contract; earlier: EarlierReport; figures: CommitmentFigure[]; rejections: RejectionRow[]; trigger: RecalibrationTrigger }): QuarterlyComparison {
  const { contract, earlier, figures } = input;
  const thenById = new Map(earlier.sla.commitments.map((c) => [c.commitmentId, c]));
  const speedNow = figures.find((f) => f.commitmentId === 'speed_to_lead');
  const speedThen = thenById.get('speed_to_lead');
  const recalibrate = new Set<string>();
  for (const row of input.rejections.filter((r) => r.count > 0).slice(0, 3)) {
    const informs = contract.feedback.rejectionFeeds.find((f) => f.codes.includes(row.code))?.informs;
    if (informs) recalibrate.add(`${informs} (rejections: ${row.code})`);
  }
  if (input.trigger.fired) recalibrate.add(`the definitions behind ${input.trigger.metric} (recalibration trigger fired)`);
  for (const f of figures) {
    if (thenById.get(f.commitmentId)?.met === true && f.met === false) recalibrate.add(`${f.commitmentId}: met last time, missed now`);
  }
  return {
    earlierGeneratedAt: earlier.generatedAt,
    commitments: figures.map((f) => {
      const then = thenById.get(f.commitmentId);
      return { commitmentId: f.commitmentId, title: f.title, then: { value: then?.value ?? null, met: then?.met ?? null }, now: { value: f.value, met: f.met } };
    }),
    speedToLead: {
      then: { median: speedThen?.detail.median ?? null, attainment: speedThen?.detail.attainment ?? null },
      now: { median: speedNow?.detail.median ?? null, attainment: speedNow?.detail.attainment ?? null },
    },
    acceptance: { then: thenById.get('acceptance_rate')?.value ?? null, now: figures.find((f) => f.commitmentId === 'acceptance_rate')?.value ?? null },
    dominantReasons: { then: topReasons(earlier.sla.rejections), now: topReasons(input.rejections) },
    recalibrate: [...recalibrate],
    whatIf: WHAT_IF_HINT,
  };
}
