/** Child process for log-setup tests: logs one line in the format named by argv[2]. */
import type { LogFormat } from "../../src/core/logger.ts";
import { createAppLogger } from "../../src/ops/log-setup.ts";

const logger = createAppLogger("info", process.argv[2] as LogFormat);
logger.info("hello", { channel: "slack:C1", token: "never-shown" });
logger.debug("hidden");
