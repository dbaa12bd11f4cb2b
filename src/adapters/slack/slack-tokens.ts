/**
 * The two Slack tokens paperbot takes, what each looks like and where to find it, so a wrong or
 * swapped token is named at load (config.ts) and at start (a refused token). Messages show at most
 * a token's type prefix (`xoxb-`, `xapp-`), never the secret after it.
 */

export type SlackTokenVariable = "SLACK_BOT_TOKEN" | "SLACK_APP_TOKEN";

interface TokenKind {
  prefix: string;
  what: string;
  where: string;
}

export const SLACK_TOKENS: Readonly<Record<SlackTokenVariable, TokenKind>> = Object.freeze({
  SLACK_BOT_TOKEN: {
    prefix: "xoxb-",
    what: "the Bot User OAuth Token",
    where: "OAuth & Permissions in your app's settings at api.slack.com/apps",
  },
  SLACK_APP_TOKEN: {
    prefix: "xapp-",
    what: "an App-Level Token with the connections:write scope",
    where: "Basic Information -> App-Level Tokens",
  },
});

/** Slack's token type prefixes: safe to show, they carry no secret. */
const KNOWN_PREFIX = /^(xox[a-z]|xapp)-/;

/** Why `token` cannot be right for `variable`, or undefined when its prefix fits. */
export function slackTokenProblem(variable: SlackTokenVariable, token: string): string | undefined {
  const kind = SLACK_TOKENS[variable];
  if (token.startsWith(kind.prefix)) return undefined;
  const other = variable === "SLACK_BOT_TOKEN" ? "SLACK_APP_TOKEN" : "SLACK_BOT_TOKEN";
  const expected = `${variable} must be ${kind.what}, starting with ${kind.prefix} (${kind.where})`;
  if (token.startsWith(SLACK_TOKENS[other].prefix)) {
    return `${expected}, but it holds a token starting with ${SLACK_TOKENS[other].prefix}, which belongs in ${other}`;
  }
  const prefix = token.match(KNOWN_PREFIX)?.[0];
  return prefix ? `${expected}, not a token starting with ${prefix}` : `${expected}; the value set does not`;
}
