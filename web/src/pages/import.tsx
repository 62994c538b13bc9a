import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, call, pageOf, upload, type Schemas } from '../api/client';
import { DataTable, ErrorMessage, Notice, PageTitle, Pagination } from '../components/ui';
import { useI18n } from '../i18n/i18n';

type Report = Schemas['StudentImportReport'];
type Mode = 'create' | 'upsert';

/** Where an import stands: sending the file (with the share sent), then Core checking and writing it. */
type Progress = { phase: 'sending'; sent: number } | { phase: 'processing' } | null;

/**
 * Bulk import, the way an office works: download the template, fill it (or take Dapodik's export
 * as is), check it first (a dry run writes nothing and lists every row error), then import the
 * same file. Core imports all or nothing, so a failed import leaves no half-imported students.
 */
export default function ImportPage() {
  const { t, format } = useI18n();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<Mode>('create');
  const [progress, setProgress] = useState<Progress>(null);
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [historyPage, setHistoryPage] = useState(1);
  const history = useQuery({
    queryKey: ['imports', historyPage],
    queryFn: () => call(api.GET('/api/students/imports', { params: { query: { page: historyPage, limit: 10 } } })),
  });

  async function run(dryRun: boolean) {
    if (!file) return;
    setError(null);
    setReport(null);
    setProgress({ phase: 'sending', sent: 0 });
    try {
      const answer = await upload<Report>(`/api/students/import?dryRun=${dryRun}&mode=${mode}`, 'file', file, (sent) =>
        setProgress(sent < 1 ? { phase: 'sending', sent } : { phase: 'processing' }),
      );
      setReport(answer);
      await queryClient.invalidateQueries({ queryKey: ['imports'] });
      if (answer.committed) await queryClient.invalidateQueries({ queryKey: ['students'] });
    } catch (failure) {
      setError(failure);
    } finally {
      setProgress(null);
    }
  }

  const checkedThisFile = report !== null && report.dryRun && report.failed === 0;
  const imports = pageOf(history.data);

  return (
    <>
      <PageTitle>{t('import.title')}</PageTitle>
      <section className="panel" aria-labelledby="template-heading">
        <h2 id="template-heading">{t('import.step1')}</h2>
        <p>{t('import.templateHelp')}</p>
        <p className="actions">
          <a className="button" href="/api/students/import/template?format=xlsx" download>
            {t('import.templateXlsx')}
          </a>
          <a className="button" href="/api/students/import/template?format=csv" download>
            {t('import.templateCsv')}
          </a>
        </p>
      </section>
      <section className="panel" aria-labelledby="upload-heading">
        <h2 id="upload-heading">{t('import.step2')}</h2>
        <div className="field">
          <label htmlFor="import-file">{t('import.file')}</label>
          <input
            id="import-file"
            type="file"
            accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
            aria-describedby="import-file-hint"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setReport(null);
              setError(null);
            }}
          />
          <small id="import-file-hint" className="hint">
            {t('import.fileHint')}
          </small>
        </div>
        <fieldset className="checks">
          <legend>{t('import.mode')}</legend>
          <label className="check">
            <input type="radio" name="mode" value="create" checked={mode === 'create'} onChange={() => setMode('create')} /> {t('import.modeCreate')}
          </label>
          <label className="check">
            <input type="radio" name="mode" value="upsert" checked={mode === 'upsert'} onChange={() => setMode('upsert')} /> {t('import.modeUpsert')}
          </label>
        </fieldset>
        <p className="actions">
          <button type="button" onClick={() => run(true)} disabled={!file || progress !== null}>
            {t('import.check')}
          </button>
          <button type="button" className="primary" onClick={() => run(false)} disabled={!checkedThisFile || progress !== null}>
            {report && checkedThisFile ? t('import.importRows', { rows: format.number(report.rows) }) : t('import.import')}
          </button>
        </p>
        {progress ? (
          <div className="progress" role="status">
            <progress value={progress.phase === 'sending' ? progress.sent : undefined} max={1} aria-label={t('import.progress')} />{' '}
            {progress.phase === 'sending' ? t('import.sending', { percent: Math.round(progress.sent * 100) }) : t('import.processing')}
          </div>
        ) : null}
        <ErrorMessage error={error} />
        {report ? <ImportReport report={report} /> : null}
      </section>
      <section className="panel" aria-labelledby="history-heading">
        <h2 id="history-heading">{t('import.history')}</h2>
        <ErrorMessage error={history.error} />
        <DataTable
          caption={t('import.history')}
          rows={imports.rows}
          rowKey={(row) => row.id}
          columns={[
            { header: t('history.when'), cell: (row) => format.dateTime(row.createdAt) },
            { header: t('import.by'), cell: (row) => row.by.name },
            { header: t('import.file'), cell: (row) => row.fileName },
            { header: t('import.kind'), cell: (row) => (row.dryRun ? t('import.dryRun') : row.committed ? t('import.committed') : t('import.notCommitted')) },
            { header: t('import.rows'), cell: (row) => format.number(row.rows) },
            { header: t('import.created'), cell: (row) => format.number(row.created) },
            { header: t('import.updated'), cell: (row) => format.number(row.updated) },
            {
              header: t('import.failed'),
              cell: (row) =>
                row.failed > 0 ? (
                  <a href={`/api/students/imports/${encodeURIComponent(row.id)}/errors?format=csv`} download>
                    {t('import.errorsCsv', { count: format.number(row.failed) })}
                  </a>
                ) : (
                  '0'
                ),
            },
          ]}
        />
        <Pagination page={imports.page} totalPages={imports.totalPages} total={imports.total} onPage={setHistoryPage} />
      </section>
    </>
  );
}

function ImportReport({ report }: { report: Report }) {
  const { t, format } = useI18n();
  const n = (value: number) => format.number(value);
  return (
    <div className="report" aria-live="polite">
      {report.failed > 0 ? (
        <p className="alert error" role="alert">
          {t('import.failedSummary', { failed: n(report.failed), rows: n(report.rows), errors: n(report.errors.length) })}
        </p>
      ) : report.committed ? (
        <Notice>{t('import.done', { created: n(report.created), updated: n(report.updated), skipped: n(report.skipped) })}</Notice>
      ) : (
        <Notice>{t('import.checked', { rows: n(report.rows), created: n(report.created), updated: n(report.updated), skipped: n(report.skipped) })}</Notice>
      )}
      {report.unknownColumns.length > 0 ? <p className="alert warning">{t('import.unknownColumns', { columns: report.unknownColumns.join(', ') })}</p> : null}
      {report.createdClasses.length > 0 ? <p>{t('import.createdClasses', { classes: report.createdClasses.join(', ') })}</p> : null}
      {report.errors.length > 0 ? (
        <DataTable
          caption={t('import.errors')}
          rows={report.errors}
          rowKey={(e) => `${e.row}:${e.column}:${e.code}`}
          columns={[
            { header: t('import.row'), cell: (e) => e.row },
            { header: t('import.column'), cell: (e) => e.column },
            { header: t('import.code'), cell: (e) => <code>{e.code}</code> },
            { header: t('import.message'), cell: (e) => e.message },
          ]}
        />
      ) : null}
    </div>
  );
}
