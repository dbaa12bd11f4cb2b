/**
 * An independent check of a Slack message payload against Slack's documented limits (numbers
 * copied from Slack's Block Kit reference, deliberately not imported from the renderer) and
 * against markup injection: echoed text must never carry a live `<!channel>`, `<@U…>`, `<#C…>`
 * or a forged link, and every `&` must start an entity.
 */

const LIMITS = {
  blocks: 50,
  messageText: 40_000,
  header: 150,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  contextElements: 10,
  contextText: 3000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  id: 255,
};

interface TextObject {
  type?: string;
  text?: string;
}

export interface PayloadLike {
  text?: unknown;
  blocks?: unknown;
}

/** Problems found, empty when the payload is valid. */
export function slackLimitProblems(payload: PayloadLike): string[] {
  const problems: string[] = [];
  const text = payload.text;
  if (typeof text === "string") {
    if (text.length > LIMITS.messageText) problems.push(`text is ${text.length} chars`);
    problems.push(...markupProblems("text", text));
  }
  if (payload.blocks === undefined) {
    if (typeof text !== "string" || text.length === 0) problems.push("no text and no blocks");
    return problems;
  }
  if (!Array.isArray(payload.blocks)) return [...problems, "blocks is not an array"];
  const blocks = payload.blocks as Record<string, unknown>[];
  if (blocks.length > LIMITS.blocks) problems.push(`${blocks.length} blocks`);
  const actionIds = new Set<string>();
  blocks.forEach((block, index) => {
    const where = `blocks[${index}] (${String(block.type)})`;
    checkId(problems, `${where}.block_id`, block.block_id);
    switch (block.type) {
      case "header":
        checkText(problems, where, block.text as TextObject, LIMITS.header, "plain_text");
        break;
      case "section": {
        if (block.text) checkText(problems, where, block.text as TextObject, LIMITS.sectionText);
        const fields = (block.fields ?? []) as TextObject[];
        if (fields.length > LIMITS.fields) problems.push(`${where} has ${fields.length} fields`);
        fields.forEach((field, at) => {
          checkText(problems, `${where}.fields[${at}]`, field, LIMITS.fieldText);
        });
        if (!block.text && fields.length === 0) problems.push(`${where} has neither text nor fields`);
        break;
      }
      case "context": {
        const elements = (block.elements ?? []) as TextObject[];
        if (elements.length === 0 || elements.length > LIMITS.contextElements) {
          problems.push(`${where} has ${elements.length} elements`);
        }
        elements.forEach((element, at) => {
          checkText(problems, `${where}.elements[${at}]`, element, LIMITS.contextText);
        });
        break;
      }
      case "actions": {
        const elements = (block.elements ?? []) as Record<string, unknown>[];
        if (elements.length === 0 || elements.length > LIMITS.actionsElements) {
          problems.push(`${where} has ${elements.length} elements`);
        }
        elements.forEach((element, at) => {
          const here = `${where}.elements[${at}]`;
          checkText(problems, here, element.text as TextObject, LIMITS.buttonText, "plain_text");
          const id = element.action_id;
          checkId(problems, `${here}.action_id`, id);
          if (typeof id === "string") {
            if (actionIds.has(id)) problems.push(`${here} repeats action_id ${id}`);
            actionIds.add(id);
          }
          if (typeof element.value === "string" && element.value.length > LIMITS.buttonValue) {
            problems.push(`${here}.value is ${element.value.length} chars`);
          }
          if (typeof element.url === "string" && element.url.length > LIMITS.buttonUrl) {
            problems.push(`${here}.url is ${element.url.length} chars`);
          }
        });
        break;
      }
      case "divider":
        break;
      default:
        problems.push(`${where}: unexpected block type`);
    }
  });
  return problems;
}

export function assertWithinSlackLimits(payload: PayloadLike): void {
  const problems = slackLimitProblems(payload);
  if (problems.length > 0) throw new Error(`Slack payload out of limits:\n  ${problems.join("\n  ")}`);
}

function checkText(
  problems: string[],
  where: string,
  text: TextObject | undefined,
  max: number,
  type?: string,
): void {
  if (!text || typeof text.text !== "string") {
    problems.push(`${where} has no text`);
    return;
  }
  if (type && text.type !== type) problems.push(`${where} must be ${type}`);
  if (text.text.length === 0) problems.push(`${where} text is empty`);
  if (text.text.length > max) problems.push(`${where} text is ${text.text.length} chars (max ${max})`);
  problems.push(...markupProblems(where, text.text));
}

function checkId(problems: string[], where: string, id: unknown): void {
  if (id === undefined) return;
  if (typeof id !== "string" || id.length === 0 || id.length > LIMITS.id)
    problems.push(`${where} is invalid`);
}

/** Only our own links may open a `<`: `<http(s)://...>` or `<http(s)://...|label>`. */
export function markupProblems(where: string, text: string): string[] {
  const problems: string[] = [];
  for (const match of text.matchAll(/<([^>]*)>?/g)) {
    const inner = match[1] ?? "";
    if (!match[0].endsWith(">") || !/^https?:\/\/[^\s|<]+(\|[^<]*)?$/.test(inner)) {
      problems.push(`${where} has live markup ${JSON.stringify(match[0].slice(0, 40))}`);
    }
  }
  for (const match of text.matchAll(/&(?!amp;|lt;|gt;)/g)) {
    problems.push(`${where} has a bare & at ${match.index}`);
  }
  // A literal ">" is allowed only as our block-quote marker at the start of a line.
  const outsideLinks = text.replace(/<[^<>]*>/g, "").replace(/^> /gm, "");
  if (outsideLinks.includes(">")) problems.push(`${where} has a bare >`);
  return problems;
}
