/**
 * Inline SVG charts for the HTML report: no script, no CDN (the machines and many RevOps laptops
 * have no route to one), readable without colour (every bar carries its number), titled for screen
 * readers. Pure string builders.
 */
import { type DistributionBucket, type FunnelRow, FUNNEL_STAGES } from '../../mappings/metrics';
import { html } from './escape';

const FONT = 'font-family="system-ui, sans-serif" font-size="12"';

function frame(id: string, title: string, width: number, height: number, body: string): string {
  return `<svg id="${html(id)}" role="img" aria-labelledby="${html(id)}-title" viewBox="0 0 ${width} ${height}" width="100%" style="max-width:${width}px" xmlns="http://www.w3.org/2000/svg"><title id="${html(id)}-title">${html(title)}</title>${body}</svg>`;
}

function scale(value: number, max: number, width: number): number {
  return max <= 0 ? 0 : Math.max(value > 0 ? 2 : 0, Math.round((value / max) * width));
}

/** One row per lead source, one bar per funnel stage, each bar sized against the largest MQL count. */
export function funnelChart(rows: FunnelRow[]): string {
  const labelWidth = 150;
  const cell = 120;
  const rowHeight = 26;
  const top = 24;
  const width = labelWidth + cell * FUNNEL_STAGES.length + 10;
  const height = top + rowHeight * rows.length + 8;
  const max = Math.max(0, ...rows.map((r) => r.counts.MQL ?? 0));
  const header = FUNNEL_STAGES.map((stage, i) => `<text x="${labelWidth + i * cell}" y="14" ${FONT} font-weight="600">${stage}</text>`).join('');
  const body = rows
    .map((row, r) => {
      const y = top + r * rowHeight;
      const bars = FUNNEL_STAGES.map((stage, i) => {
        const known = row.counts[stage];
        const count = known ?? 'SIGNAL MISSING';
        const w = scale(known ?? 0, max, cell - 40);
        const x = labelWidth + i * cell;
        const rate = row.counts.MQL && known !== null ? ` (${Math.round((known / row.counts.MQL) * 100)}%)` : '';
        return `<g><title>${html(`${row.source} ${stage}: ${count}${rate}`)}</title><rect x="${x}" y="${y + 4}" width="${w}" height="16" rx="2" class="bar stage-${i}"/><text x="${x + w + 4}" y="${y + 16}" ${FONT}>${count}</text></g>`;
      }).join('');
      const weight = row.source === 'All sources' ? ' font-weight="600"' : '';
      return `<text x="0" y="${y + 16}" ${FONT}${weight}>${html(row.source)}</text>${bars}`;
    })
    .join('');
  return frame('chart-funnel', 'MQL to SAL to SQL to opportunity to won, by lead source', width, height, header + body);
}

/** Vertical histogram of the speed-to-lead buckets. */
export function histogramChart(buckets: DistributionBucket[], unit: string, targetBelow: number | null): string {
  const barWidth = 64;
  const gap = 12;
  const chartHeight = 160;
  const top = 16;
  const width = buckets.length * (barWidth + gap) + 20;
  const height = top + chartHeight + 40;
  const max = Math.max(0, ...buckets.map((b) => b.count));
  const bars = buckets
    .map((b, i) => {
      const h = scale(b.count, max, chartHeight);
      const x = 10 + i * (barWidth + gap);
      const y = top + chartHeight - h;
      const within = targetBelow !== null && b.below !== null && b.below <= targetBelow;
      return `<g><title>${html(`${b.label} ${unit}: ${b.count}`)}</title><rect x="${x}" y="${y}" width="${barWidth}" height="${h}" rx="2" class="bar ${within ? 'within' : 'beyond'}"/><text x="${x + barWidth / 2}" y="${y - 4}" text-anchor="middle" ${FONT}>${b.count}</text><text x="${x + barWidth / 2}" y="${top + chartHeight + 16}" text-anchor="middle" ${FONT}>${html(b.label)}</text></g>`;
    })
    .join('');
  const axis = `<line x1="6" y1="${top + chartHeight}" x2="${width - 6}" y2="${top + chartHeight}" stroke="currentColor" stroke-width="1"/><text x="${width / 2}" y="${height - 4}" text-anchor="middle" ${FONT}>${html(unit)}</text>`;
  return frame('chart-speed', `Speed-to-lead distribution in ${unit}`, width, height, bars + axis);
}

/** Horizontal bars, largest first as given. */
export function barChart(id: string, title: string, rows: Array<{ label: string; value: number }>): string {
  const labelWidth = 260;
  const barSpace = 300;
  const rowHeight = 24;
  const width = labelWidth + barSpace + 50;
  const height = rowHeight * Math.max(1, rows.length) + 8;
  const max = Math.max(0, ...rows.map((r) => r.value));
  const body = rows
    .map((row, i) => {
      const y = i * rowHeight + 4;
      const w = scale(row.value, max, barSpace);
      return `<g><title>${html(`${row.label}: ${row.value}`)}</title><text x="0" y="${y + 13}" ${FONT}>${html(row.label)}</text><rect x="${labelWidth}" y="${y}" width="${w}" height="16" rx="2" class="bar"/><text x="${labelWidth + w + 4}" y="${y + 13}" ${FONT}>${row.value}</text></g>`;
    })
    .join('');
  return frame(id, title, width, height, body || `<text x="0" y="16" ${FONT}>nothing to show</text>`);
}
