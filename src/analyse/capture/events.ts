// What the pipeline tells about several capture points of the same traffic (reassemble/capture-points.ts):
// a frame seen in two inputs is analysed once; these notes say where else it was seen.

/** This frame is a copy of an earlier one seen at another capture point (another input file); it is not analysed again. */
export interface FrameCopy { note: 'capture.copy'; file: string; fileFrame: number; frame: number }

/** Two inputs saw the same frames: how many were analysed once instead of twice. */
export interface InputsOverlap { note: 'capture.overlap'; files: [string, string]; frames: number; first: number }

/** More copies than the pairing keeps in memory at once: those beyond were analysed twice. */
export interface CopiesUnpaired { note: 'capture.unpaired'; frames: number }

export type CaptureNote = FrameCopy | InputsOverlap | CopiesUnpaired;
