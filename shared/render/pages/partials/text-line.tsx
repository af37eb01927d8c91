/**
 * A person or a venue on a page, as shared/render/people-places chose its text: editors' text in
 * another language than the page's is marked with `lang` (and `dir`), the country is named in the
 * page's language.
 */
import { textDirection } from "../../mail/text-direction";
import type { TextLine } from "../../people-places";

export const Line = ({ line, emphasiseFirst = false }: { line: TextLine; emphasiseFirst?: boolean }) => {
  const [first, ...rest] = line.parts;
  const text = (
    <>
      {emphasiseFirst && first ? <strong>{first}</strong> : first}
      {rest.map((part) => `, ${part}`).join("")}
    </>
  );
  const marked =
    line.language === line.documentLanguage ? (
      text
    ) : (
      <span lang={line.language} dir={textDirection(line.language)}>
        {text}
      </span>
    );
  return (
    <>
      {line.parts.length > 0 && marked}
      {line.country && `${line.parts.length > 0 ? ", " : ""}${line.country}`}
    </>
  );
};
