/**
 * Replay defence for HTTP interactions. A signed request stays valid for its whole timestamp window,
 * so whoever captures one (a logging proxy, a leaked trace) could send it again, to any replica
 * behind the load balancer, and run the command again. Each interaction id is let through once
 * while its signature could still be accepted, across every replica sharing the KeyStore.
 */
import type { KeyStore } from "../../store/key-store.ts";
import { MAX_CLOCK_SKEW_SECONDS, MAX_SIGNATURE_AGE_SECONDS } from "./verify-signature.ts";

export interface SeenInteractions {
  /**
   * True the first time `id` is offered, false for every repeat within SEEN_INTERACTION_TTL_MS.
   * Check and record are one step: of two concurrent calls with one id (on any replicas), exactly one gets true.
   */
  firstSeen(id: string): Promise<boolean>;
}

export const INTERACTION_NAMESPACE = "discord-interaction";

/**
 * A signature is accepted from MAX_CLOCK_SKEW before its timestamp until MAX_SIGNATURE_AGE after
 * it, so an id first seen at any moment of that span must be remembered for the span's full length.
 */
export const SEEN_INTERACTION_TTL_MS = (MAX_SIGNATURE_AGE_SECONDS + MAX_CLOCK_SKEW_SECONDS) * 1000;

export function createSeenInteractions(keys: KeyStore): SeenInteractions {
  return {
    firstSeen: (id) => keys.claim(INTERACTION_NAMESPACE, id, SEEN_INTERACTION_TTL_MS),
  };
}
