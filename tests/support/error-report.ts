// Reads the report of an uncaught error off stderr, as node prints it and as
// `canon run` prints it, into the same fields, so that tests compare what
// matters (where, the caret's column, the message, the first frame) and not
// the frame's layout (node prints one line, canon a @babel/code-frame block).

/** What an error report says. Absent fields: the report has no such part. */
export interface ErrorReport {
  /** The first line: "file:///app/dep.mjs:3", "/app/x.cjs:2", "node:internal/...:283", "<anonymous_script>:4" (node, for JSON). */
  location?: string;
  /** The marked source line. */
  source?: string;
  /** 1-based column of the first caret (or of the end of the marked line where node prints no caret). */
  caret?: number;
  /** How many carets (node underlines the token; none at the end of the input). */
  width?: number;
  /** "TypeError: message", "Error [ERR_MODULE_NOT_FOUND]: message", "Uncaught 42". */
  headline?: string;
  /** The first "at ..." line after the headline, trimmed. */
  firstFrame?: string;
}

const LOCATION = /^((?:file:\/\/|\/|node:|<anonymous_script>)\S*):(\d+)$/;
const HEADLINE = /^(?:[A-Za-z_$][\w$]*(?: \[[A-Z0-9_]+\])?: |Uncaught )/;

function tail(lines: readonly string[], from: number): Pick<ErrorReport, 'headline' | 'firstFrame'> {
  const h = lines.findIndex((l, i) => i >= from && HEADLINE.test(l));
  if (h < 0) return {};
  const frame = lines.slice(h + 1).find((l) => /^\s+at /.test(l));
  return { headline: lines[h]!, ...(frame ? { firstFrame: frame.trim() } : {}) };
}

/** node's report: location, the source line, a line of spaces and carets. */
export function parseNodeReport(stderr: string): ErrorReport {
  const lines = stderr.split('\n');
  const at = lines.findIndex((l) => LOCATION.test(l));
  if (at < 0) return tail(lines, 0);
  const underline = lines[at + 2] ?? '';
  const caret = underline.indexOf('^');
  return {
    location: lines[at]!,
    source: lines[at + 1]!,
    caret: (caret < 0 ? underline.length : caret) + 1,
    width: underline.split('^').length - 1,
    ...tail(lines, at + 3),
  };
}

/** canon's report: location, a code frame whose marked line starts with ">", the caret line under it. */
export function parseCanonReport(stderr: string): ErrorReport {
  const lines = stderr.split('\n');
  const at = lines.findIndex((l) => LOCATION.test(l));
  if (at < 0) return tail(lines, 0);
  const marked = lines.findIndex((l, i) => i > at && /^>\s*\d+ \|/.test(l));
  if (marked < 0) return { location: lines[at]!, ...tail(lines, at + 1) };
  const gutter = lines[marked]!.indexOf('|') + 2; // "> 12 | " before the source text
  const underline = lines[marked + 1] ?? '';
  return {
    location: lines[at]!,
    source: lines[marked]!.slice(gutter),
    caret: underline.indexOf('^') - gutter + 1,
    width: underline.split('^').length - 1,
    ...tail(lines, marked + 2),
  };
}
