import { ArcElement, BarController, BarElement, CategoryScale, Chart, DoughnutController, Legend, LinearScale, Tooltip } from 'chart.js';
import { useEffect, useRef } from 'react';
import { useI18n } from '../i18n/i18n';

// Only the parts the statistics page draws, so the chunk stays small.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, DoughnutController, ArcElement, Legend, Tooltip);

/** Colours with at least 3:1 contrast against white, told apart without relying on hue alone (legend + table). */
const PALETTE = ['#0b5394', '#b45309', '#047857', '#9d174d', '#5b21b6', '#0e7490', '#a16207', '#374151', '#be123c', '#15803d', '#1d4ed8', '#7c2d12'];

export interface Series {
  label: string;
  data: number[];
}

/**
 * One statistic as a chart and, for screen readers and anyone who wants the figures, the same
 * numbers as a table under a disclosure. The canvas is an image whose name sums the chart up.
 */
export function ChartFigure({ title, kind, labels, series, stacked = false }: { title: string; kind: 'bar' | 'doughnut'; labels: string[]; series: Series[]; stacked?: boolean }) {
  const { t, format } = useI18n();
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, {
      type: kind,
      data: {
        labels,
        datasets: series.map((s, i) => ({
          label: s.label,
          data: s.data,
          backgroundColor: kind === 'doughnut' || series.length === 1 ? labels.map((_, j) => PALETTE[(kind === 'doughnut' ? j : i) % PALETTE.length]!) : PALETTE[i % PALETTE.length]!,
        })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: kind === 'doughnut' || series.length > 1, position: 'bottom' } },
        ...(kind === 'bar' ? { scales: { x: { stacked }, y: { stacked, beginAtZero: true, ticks: { precision: 0 } } } } : {}),
      },
    });
    return () => chart.destroy();
  }, [kind, labels, series, stacked]);

  const total = series.reduce((sum, s) => sum + s.data.reduce((a, b) => a + b, 0), 0);
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <div className="chart-box">
        <canvas ref={canvas} role="img" aria-label={t('stats.chartLabel', { title, total: format.number(total) })} />
      </div>
      <details>
        <summary>{t('stats.showData')}</summary>
        <table>
          <caption className="visually-hidden">{title}</caption>
          <thead>
            <tr>
              <th scope="col">{t('stats.group')}</th>
              {series.map((s) => (
                <th key={s.label} scope="col">
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {labels.map((label, i) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                {series.map((s) => (
                  <td key={s.label}>{format.number(s.data[i] ?? 0)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
