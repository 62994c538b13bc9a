import sharp, { type Metadata, type OutputInfo, type Sharp } from 'sharp';
import type { UploadType } from '../../config.js';
import { AppError } from '../../http/errors.js';

// Decoded images are large and short-lived; libvips' operation cache would only keep them around.
sharp.cache(false);

export interface ImageLimits {
  maxInputPixels: number;
  maxDimension: number;
}

const IMAGE_FORMATS = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' } as const;

/**
 * What the bytes really are, from their first bytes, whatever name or type they were sent with.
 * Only the types Core can check are recognised; an SVG or a text file is none of them.
 */
export function sniffType(bytes: Buffer): UploadType | null {
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  return null;
}

function isImageType(type: UploadType): type is (typeof IMAGE_FORMATS)[keyof typeof IMAGE_FORMATS] {
  return type !== 'application/pdf';
}

/**
 * Opens an image for re-encoding after checking its header: a decompression bomb (a few KB that
 * claim 50,000 × 50,000 pixels) is refused from the header alone, before anything is decoded.
 */
async function openImage(bytes: Buffer, limits: ImageLimits, field: string): Promise<Sharp> {
  const options = { limitInputPixels: limits.maxInputPixels, failOn: 'warning' as const };
  let metadata: Metadata;
  try {
    // Reading the header decodes no pixels, so it may look past the limit and say why it refuses.
    metadata = await sharp(bytes, { ...options, limitInputPixels: false }).metadata();
  } catch {
    throw damaged(field);
  }
  if (!(metadata.format in IMAGE_FORMATS)) throw unsupported(field);
  if ((metadata.width ?? 0) * (metadata.height ?? 0) > limits.maxInputPixels) {
    throw new AppError(413, 'IMAGE_TOO_LARGE', 'The image has too many pixels.', [
      { code: 'IMAGE_TOO_LARGE', field, message: `must have at most ${limits.maxInputPixels.toLocaleString('en')} pixels` },
    ]);
  }
  return sharp(bytes, options);
}

async function encoded(pipeline: Sharp, field: string): Promise<{ data: Buffer; info: OutputInfo }> {
  try {
    return await pipeline.toBuffer({ resolveWithObject: true });
  } catch {
    // The header was fine but the pixels are not: truncated or damaged data.
    throw damaged(field);
  }
}

/**
 * A profile photo as Core keeps it: turned upright by its EXIF orientation, fitted within
 * maxDimension² without enlarging, every metadata field (GPS, camera, comments) dropped, as a JPEG.
 */
export async function profileImage(bytes: Buffer, limits: ImageLimits, field: string): Promise<{ data: Buffer; width: number; height: number }> {
  const type = sniffType(bytes);
  if (!type || !isImageType(type)) throw unsupported(field);
  const image = await openImage(bytes, limits, field);
  const { data, info } = await encoded(
    image
      .rotate()
      .resize({ width: limits.maxDimension, height: limits.maxDimension, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 82 }),
    field,
  );
  return { data, width: info.width, height: info.height };
}

/**
 * The checked (and, for images, re-encoded) bytes of an upload declared as `declared`. The bytes
 * must be what was declared; images are re-encoded in their own format, upright and without
 * metadata, so a photo of a letter does not carry where it was taken.
 */
export async function checkedUpload(bytes: Buffer, declared: UploadType, limits: ImageLimits): Promise<Buffer> {
  const field = 'body';
  if (sniffType(bytes) !== declared) {
    throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', `The file is not the ${declared} it was declared as.`, [
      { code: 'CONTENT_MISMATCH', field, message: `must be a ${declared} file` },
    ]);
  }
  if (!isImageType(declared)) return bytes;
  const image = (await openImage(bytes, limits, field)).rotate();
  const format = declared === 'image/jpeg' ? image.jpeg({ quality: 90 }) : declared === 'image/png' ? image.png() : image.webp({ quality: 90 });
  return (await encoded(format, field)).data;
}

function unsupported(field: string): AppError {
  return new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'The file is not a JPEG, PNG or WebP image.', [
    { code: 'UNSUPPORTED_MEDIA_TYPE', field, message: 'must be a JPEG, PNG or WebP image' },
  ]);
}

function damaged(field: string): AppError {
  return new AppError(422, 'INVALID_IMAGE', 'The image could not be read: it is damaged or truncated.', [
    { code: 'INVALID_IMAGE', field, message: 'is damaged or truncated' },
  ]);
}
