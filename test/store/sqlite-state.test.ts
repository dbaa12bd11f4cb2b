import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteState } from "../../src/store/state.ts";
import { stateContract } from "./state-contract.ts";

stateContract("SQLite", async () => {
  const path = join(mkdtempSync(join(tmpdir(), "paperbot-state-")), "state.db");
  return [openSqliteState(path), openSqliteState(path)];
});
