import { downloadName, runExport } from "../export-job";

export interface ExportJobElements {
  button: HTMLButtonElement;
  progress: HTMLProgressElement;
  link: HTMLAnchorElement;
  note: HTMLOutputElement;
}

/** What one click exports: the request body, how the note names it, the download's file name stem. */
export interface PreparedExport {
  body: object;
  label: string;
  /** Appended to the label while queued, e.g. that the server's limits shrank it. */
  remark?: string;
  fileStem: string;
}

/**
 * The life of one export in the panel: the button submits what `prepare` returns, the progress
 * bar follows the job while the queue renders it, then the download link (valid for an hour).
 */
export function bindExportJob(apiBase: string, elements: ExportJobElements, prepare: () => PreparedExport): void {
  const { button, progress, link, note } = elements;

  button.addEventListener("click", () => {
    const { body, label, remark, fileStem } = prepare();
    button.disabled = true;
    link.hidden = true;
    progress.hidden = false;
    progress.value = 0;
    note.value = `${label}${remark ? ` (${remark})` : ""}: queued`;
    void runExport(apiBase, body, (status) => {
      progress.value = status.progress;
      note.value = `${label}: ${status.status} ${Math.round(status.progress * 100)} %`;
    })
      .then((status) => {
        if (status.status === "done" && status.url) {
          link.href = status.url;
          link.download = downloadName(fileStem, status.url);
          link.hidden = false;
          note.value = `${label}: done`;
        } else {
          note.value = `Export failed: ${status.error ?? "unknown reason"}`;
        }
      })
      .catch((error: unknown) => {
        note.value = `Export failed: ${error instanceof Error ? error.message : String(error)}`;
      })
      .finally(() => {
        button.disabled = false;
        progress.hidden = true;
      });
  });
  button.disabled = false;
}
