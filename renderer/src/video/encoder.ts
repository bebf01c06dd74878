/**
 * Encodes drawn frames with WebCodecs' VideoEncoder and muxes them with Mediabunny: H.264 in MP4
 * or VP9 in WebM. Each frame gets its own timestamp (k / fps), so the video's timing is exact
 * whatever the drawing speed. The bytes stream out as they are muxed, each chunk with its position
 * in the file (the muxer goes back to fill in sizes), so a long video never sits in memory whole.
 */
import { CanvasSource, Mp4OutputFormat, Output, Quality, StreamTarget, WebMOutputFormat, canEncodeVideo } from 'mediabunny';
import { CONTAINER_CODEC, type Container, type VideoCodecName } from '../../../main/video/record-job.ts';

export interface Encoding {
  container: Container;
  codec: VideoCodecName;
  /** Why the container asked for was not used. */
  fallback?: string;
}

const QUALITY = new Quality('high');
const CHUNK_BYTES = 4 << 20;

/**
 * The container asked for if this browser encodes its codec at this size (mediabunny asks
 * VideoEncoder.isConfigSupported), else WebM/VP9 with the reason: H.264 is patent-encumbered and
 * left out of some Chromium and Electron builds.
 */
export async function chooseEncoding(container: Container, width: number, height: number, fps: number): Promise<Encoding> {
  const probe = (codec: VideoCodecName) => canEncodeVideo(codec, { width, height, frameRate: fps, quality: QUALITY });
  const codec = CONTAINER_CODEC[container];
  if (await probe(codec)) return { container, codec };
  const refusal = `this browser cannot encode ${codec === 'avc' ? 'H.264 (avc)' : 'VP9'} video at ${width}x${height} (VideoEncoder.isConfigSupported says no)`;
  if (container === 'mp4' && (await probe('vp9'))) return { container: 'webm', codec: 'vp9', fallback: `${refusal}; wrote WebM/VP9 instead` };
  throw new Error(refusal);
}

export interface EncodeOptions {
  encoding: Encoding;
  canvas: HTMLCanvasElement;
  fps: number;
  frames: number;
  /** Draws frame k onto `canvas`. */
  draw(k: number): void;
  /** Called with each muxed chunk and where it goes in the file; awaited (backpressure). */
  write(position: number, data: Uint8Array): Promise<void>;
  progress(done: number, total: number): void;
}

export async function encodeFrames(options: EncodeOptions): Promise<void> {
  const { encoding, canvas, fps, frames } = options;
  const target = new StreamTarget(new WritableStream({ write: (chunk) => options.write(chunk.position, chunk.data) }), {
    chunked: true,
    chunkSize: CHUNK_BYTES,
  });
  // MP4: room for the index is reserved at the start (the frame count is known), so players can start before the end arrives.
  const format = encoding.container === 'mp4' ? new Mp4OutputFormat({ fastStart: 'reserve' }) : new WebMOutputFormat();
  const output = new Output({ format, target });
  const source = new CanvasSource(canvas, { codec: encoding.codec, quality: QUALITY });
  output.addVideoTrack(source, { frameRate: fps, maximumPacketCount: frames });
  try {
    await output.start();
    for (let k = 0; k < frames; k++) {
      options.draw(k);
      await source.add(k / fps, 1 / fps);
      options.progress(k + 1, frames);
    }
    await output.finalize();
  } catch (error) {
    await output.cancel();
    throw error;
  }
}
