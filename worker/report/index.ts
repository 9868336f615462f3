/**
 * The report's renderings, handed to the reconcile activities (which write report.json themselves):
 * Markdown and HTML for people, CSV for tools.
 */
import type { ReportRenderer } from '../../activities/reconcile';
import { renderCommitmentsCsv, renderDriftCsv } from './csv';
import { renderHtml } from './html';
import { renderMarkdown } from './markdown';

export const REPORT_FILES = { html: 'report.html', markdown: 'report.md', driftCsv: 'drift.csv', commitmentsCsv: 'commitments.csv', json: 'report.json' } as const;

export const REPORT_RENDERERS: ReportRenderer[] = [
  { file: REPORT_FILES.markdown, render: renderMarkdown },
  { file: REPORT_FILES.html, render: renderHtml },
  { file: REPORT_FILES.driftCsv, render: renderDriftCsv },
  { file: REPORT_FILES.commitmentsCsv, render: renderCommitmentsCsv },
];
