/**
 * A CloudWatch metric-math evaluator for the expressions alarms use, over a
 * fixed grid of periods (the alarm's evaluation range). A time series is an
 * array with one slot per period; `undefined` is a missing datapoint.
 *
 * Semantics (CloudWatch's, as documented for metric math):
 * - Arithmetic and comparisons between two series apply per period; a period
 *   missing on either side is missing in the result. A scalar applies to
 *   every period. Comparisons and logical operators give 1 or 0.
 * - Division by zero gives no datapoint for that period (never Infinity).
 * - FILL(m, v) gives every period of the range a value: the series' own or v.
 * - IF(c, a, b) takes a where c is non-zero, else b; without b that period is
 *   missing. Both branches are computed per period, so a division by zero in
 *   the branch not taken does not matter.
 * - SUM/AVG/MIN/MAX of an array `[m1, m2]` combine series per period (a
 *   period counts the series present in it); of a single series they reduce
 *   it to one scalar.
 * Anything else (other functions, METRICS(), SEARCH) is refused with a clear
 * error rather than evaluated wrongly.
 */

export type Series = (number | undefined)[];
export type MathValue = number | Series;

export class MetricMathError extends Error {}

type Node =
  | { kind: "number"; value: number }
  | { kind: "id"; name: string }
  | { kind: "unary"; op: "-" | "NOT"; arg: Node }
  | { kind: "binary"; op: string; left: Node; right: Node }
  | { kind: "call"; name: string; args: Node[] }
  | { kind: "array"; items: Node[] };

const TOKEN =
  /\s*(?:(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+)|([A-Za-z_][A-Za-z0-9_]*)|(>=|<=|==|!=|&&|\|\||[-+*/^(),<>![\]]))/y;

function tokenize(expression: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < expression.length) {
    if (/^\s*$/.test(expression.slice(TOKEN.lastIndex))) break;
    const start = TOKEN.lastIndex;
    const match = TOKEN.exec(expression);
    if (!match)
      throw new MetricMathError(`cannot read ${JSON.stringify(expression.slice(start, start + 20))} in ${expression}`);
    tokens.push(match[1] ?? match[2] ?? match[3]);
  }
  return tokens;
}

/** Precedence climbing, loosest first: OR, AND, comparison, + -, * /, ^. */
const BINARY_LEVELS: string[][] = [
  ["||", "OR"],
  ["&&", "AND"],
  [">=", "<=", ">", "<", "==", "!="],
  ["+", "-"],
  ["*", "/"],
  ["^"],
];

export function parseExpression(expression: string): Node {
  const tokens = tokenize(expression);
  let at = 0;
  const peek = () => tokens[at];
  const upper = (t: string | undefined) => t?.toUpperCase();
  const expect = (token: string) => {
    if (tokens[at] !== token) throw new MetricMathError(`expected "${token}" at token ${at + 1} of ${expression}`);
    at++;
  };

  function binary(level: number): Node {
    if (level === BINARY_LEVELS.length) return unary();
    let left = binary(level + 1);
    while (peek() !== undefined && BINARY_LEVELS[level].includes(upper(peek())!)) {
      const op = normalizeOp(upper(tokens[at++])!);
      // ^ is right-associative, everything else left-associative.
      const right = op === "^" ? binary(level) : binary(level + 1);
      left = { kind: "binary", op, left, right };
    }
    return left;
  }
  function unary(): Node {
    if (peek() === "-") {
      at++;
      return { kind: "unary", op: "-", arg: unary() };
    }
    if (peek() === "!" || upper(peek()) === "NOT") {
      at++;
      return { kind: "unary", op: "NOT", arg: unary() };
    }
    return primary();
  }
  function primary(): Node {
    const token = tokens[at++];
    if (token === undefined) throw new MetricMathError(`unexpected end of ${expression}`);
    if (token === "(") {
      const inner = binary(0);
      expect(")");
      return inner;
    }
    if (token === "[") {
      const items = [binary(0)];
      while (peek() === ",") {
        at++;
        items.push(binary(0));
      }
      expect("]");
      return { kind: "array", items };
    }
    if (/^[\d.]/.test(token)) return { kind: "number", value: Number(token) };
    if (/^[A-Za-z_]/.test(token)) {
      if (peek() !== "(") return { kind: "id", name: token };
      at++;
      const args: Node[] = [];
      if (peek() !== ")") {
        args.push(binary(0));
        while (peek() === ",") {
          at++;
          args.push(binary(0));
        }
      }
      expect(")");
      return { kind: "call", name: token.toUpperCase(), args };
    }
    throw new MetricMathError(`unexpected "${token}" in ${expression}`);
  }

  const tree = binary(0);
  if (at !== tokens.length) throw new MetricMathError(`unexpected "${tokens[at]}" in ${expression}`);
  return tree;
}

function normalizeOp(op: string): string {
  return op === "OR" ? "||" : op === "AND" ? "&&" : op;
}

function applyBinary(op: string, a: number, b: number): number | undefined {
  switch (op) {
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    case "/":
      return b === 0 ? undefined : a / b;
    case "^":
      return a ** b;
    case ">=":
      return a >= b ? 1 : 0;
    case "<=":
      return a <= b ? 1 : 0;
    case ">":
      return a > b ? 1 : 0;
    case "<":
      return a < b ? 1 : 0;
    case "==":
      return a === b ? 1 : 0;
    case "!=":
      return a !== b ? 1 : 0;
    case "&&":
      return a !== 0 && b !== 0 ? 1 : 0;
    case "||":
      return a !== 0 || b !== 0 ? 1 : 0;
    default:
      throw new MetricMathError(`unknown operator ${op}`);
  }
}

/**
 * Evaluates an expression whose identifiers are the ids of the alarm's other
 * queries, each already a series over `periods` slots.
 */
export function evaluateExpression(
  expression: string,
  series: Readonly<Record<string, MathValue>>,
  periods: number,
): MathValue {
  const perPeriod = (values: MathValue[], f: (xs: number[]) => number | undefined): MathValue => {
    if (values.every((v) => typeof v === "number")) return f(values as number[]) ?? Number.NaN;
    return Array.from({ length: periods }, (_, i) => {
      const xs = values.map((v) => (typeof v === "number" ? v : v[i]));
      return xs.some((x) => x === undefined) ? undefined : f(xs as number[]);
    });
  };
  const asSeries = (v: MathValue): Series => (typeof v === "number" ? Array(periods).fill(v) : v);

  function evaluate(node: Node): MathValue {
    switch (node.kind) {
      case "number":
        return node.value;
      case "id": {
        const value = series[node.name];
        if (value === undefined) throw new MetricMathError(`unknown metric id "${node.name}" in ${expression}`);
        return value;
      }
      case "unary": {
        const arg = evaluate(node.arg);
        return perPeriod([arg], ([x]) => (node.op === "-" ? -x : x === 0 ? 1 : 0));
      }
      case "binary":
        return perPeriod([evaluate(node.left), evaluate(node.right)], ([a, b]) => applyBinary(node.op, a, b));
      case "array":
        throw new MetricMathError(
          `an array [..] is only allowed as the argument of SUM, AVG, MIN or MAX in ${expression}`,
        );
      case "call":
        return call(node);
    }
  }

  function call(node: Extract<Node, { kind: "call" }>): MathValue {
    const arity = (n: number, m = n) => {
      if (node.args.length < n || node.args.length > m) {
        throw new MetricMathError(`${node.name} takes ${n === m ? n : `${n} to ${m}`} arguments in ${expression}`);
      }
    };
    switch (node.name) {
      case "FILL": {
        arity(2);
        const filler = evaluate(node.args[1]);
        if (typeof filler !== "number") {
          throw new MetricMathError(
            `FILL's second argument must be a number here (REPEAT/LINEAR are not supported) in ${expression}`,
          );
        }
        return asSeries(evaluate(node.args[0])).map((x) => x ?? filler);
      }
      case "IF": {
        arity(2, 3);
        const condition = asSeries(evaluate(node.args[0]));
        const whenTrue = asSeries(evaluate(node.args[1]));
        const whenFalse = node.args[2] ? asSeries(evaluate(node.args[2])) : undefined;
        return condition.map((c, i) => (c === undefined ? undefined : c !== 0 ? whenTrue[i] : whenFalse?.[i]));
      }
      case "ABS":
      case "CEIL":
      case "FLOOR": {
        arity(1);
        const f = node.name === "ABS" ? Math.abs : node.name === "CEIL" ? Math.ceil : Math.floor;
        return perPeriod([evaluate(node.args[0])], ([x]) => f(x));
      }
      case "SUM":
      case "AVG":
      case "MIN":
      case "MAX": {
        arity(1);
        const reduce = (xs: number[]): number | undefined => {
          if (xs.length === 0) return undefined;
          if (node.name === "SUM") return xs.reduce((a, b) => a + b, 0);
          if (node.name === "AVG") return xs.reduce((a, b) => a + b, 0) / xs.length;
          return node.name === "MIN" ? Math.min(...xs) : Math.max(...xs);
        };
        const arg = node.args[0];
        if (arg.kind === "array") {
          const members = arg.items.map((item) => asSeries(evaluate(item)));
          return Array.from({ length: periods }, (_, i) =>
            reduce(members.map((m) => m[i]).filter((x): x is number => x !== undefined)),
          );
        }
        const single = evaluate(arg);
        if (typeof single === "number") return single;
        return reduce(single.filter((x): x is number => x !== undefined)) ?? Number.NaN;
      }
      default:
        throw new MetricMathError(
          `metric-math function ${node.name} is not supported by the rehearsal (in ${expression})`,
        );
    }
  }

  return evaluate(parseExpression(expression));
}
