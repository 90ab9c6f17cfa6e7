import "leaflet/dist/leaflet.css";
import "./style.css";
import { fetchMeta } from "./api";
import { loadRuntimeConfig } from "./runtime-config";
import { bindBanner } from "./ui/banner";
import { startViewer } from "./viewer";

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`index.html lacks #${id}`);
  return found as T;
}

// On a phone the save options start folded, to leave the screen to the set.
if (matchMedia("(max-width: 600px)").matches) element<HTMLDetailsElement>("save-section").open = false;

const banner = bindBanner(element("banner"), element("banner-text"), element<HTMLButtonElement>("banner-retry"));

async function boot(): Promise<void> {
  try {
    const { apiBase } = await loadRuntimeConfig();
    const meta = await fetchMeta(apiBase);
    banner.hide();
    startViewer(apiBase, meta, {
      map: element("map"),
      palette: element<HTMLSelectElement>("palette"),
      zoom: element<HTMLOutputElement>("zoom-readout"),
      pointer: element<HTMLOutputElement>("pointer-readout"),
      budget: element<HTMLOutputElement>("budget-readout"),
      point: element<HTMLOutputElement>("point-readout"),
      goTo: {
        form: element<HTMLFormElement>("goto-form"),
        re: element<HTMLInputElement>("goto-re"),
        im: element<HTMLInputElement>("goto-im"),
        zoom: element<HTMLInputElement>("goto-zoom"),
        note: element<HTMLOutputElement>("goto-note"),
      },
      loading: element("loading"),
      save: {
        size: element<HTMLSelectElement>("image-size"),
        format: element<HTMLSelectElement>("image-format"),
        link: element<HTMLAnchorElement>("save-image"),
        note: element<HTMLOutputElement>("image-note"),
      },
      poster: {
        size: element<HTMLSelectElement>("poster-size"),
        format: element<HTMLSelectElement>("poster-format"),
        align: element<HTMLInputElement>("poster-align"),
        button: element<HTMLButtonElement>("export-poster"),
        progress: element<HTMLProgressElement>("poster-progress"),
        link: element<HTMLAnchorElement>("poster-link"),
        note: element<HTMLOutputElement>("poster-note"),
      },
      zoomExport: {
        frames: element<HTMLSelectElement>("zoom-frames"),
        size: element<HTMLSelectElement>("zoom-size"),
        format: element<HTMLSelectElement>("zoom-format"),
        button: element<HTMLButtonElement>("export-zoom"),
        progress: element<HTMLProgressElement>("zoom-progress"),
        link: element<HTMLAnchorElement>("zoom-link"),
        note: element<HTMLOutputElement>("zoom-note"),
      },
      banner,
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    banner.show(`The viewer could not start: ${reason}`, () => void boot());
  }
}

void boot();
