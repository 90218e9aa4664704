export interface CaptureWarning {
  /** Input file index (0-based). */
  fileIndex: number;
  /** Per-file frame number the warning is about, when there is one. */
  fileFrame?: number;
  /** Byte offset in the file, when known. */
  offset?: number;
  message: string;
}
