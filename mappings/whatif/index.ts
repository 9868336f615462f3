/** The what-if: recorded episodes replayed under a proposed contract, figures side by side with what happened. Pure. Other folders import from here only. */
export { whatIf, type WhatIfColumn, type WhatIfResult } from './whatif-figures';
export { propertiesAt, recordedEpisodes, recordedHolders, type RecordedDecision, type RecordedEpisode } from './whatif-recorded';
export { MISSING_SIGNALS, replayEpisodes, replayedFact, type MissingKind, type ReplayedDecision, type ReplayedEpisode } from './whatif-replay';
