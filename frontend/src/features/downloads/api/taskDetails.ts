/** The details pane's wire types (from the contract) and the queue move directions. */
export type { PieceMap, SegmentProgress, TaskDetails, TaskErrorEntry, TaskHistoryEntry } from '../../../types/generated/contract';

export type MoveDirection = 'up' | 'down' | 'top' | 'bottom';
