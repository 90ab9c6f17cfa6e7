import { FORMAT_LABELS, IMAGE_FORMATS, type ImageFormat } from "../image-export";

/**
 * A format select of the panel ("save image", "export poster", "export zoom"): its options are filled here, from
 * the formats the endpoint behind it takes, so each format has one label and one order in the
 * viewer. A format this viewer has no label for (a newer server's) is left out, not guessed at.
 */
export function fillFormatChoice(select: HTMLSelectElement, offered: readonly string[]): void {
  const formats = IMAGE_FORMATS.filter((format) => offered.includes(format));
  select.replaceChildren(
    ...formats.map((format) => {
      const option = document.createElement("option");
      option.value = format;
      option.textContent = FORMAT_LABELS[format];
      return option;
    }),
  );
}

/** The chosen format, png when the select holds anything else. */
export function chosenFormat(select: HTMLSelectElement): ImageFormat {
  return (IMAGE_FORMATS as readonly string[]).includes(select.value) ? (select.value as ImageFormat) : "png";
}
