// The table of transformations: one line per name (stored lower-case), like Coraza's Register calls.
// Adding `t:foo` is one new file and one line here.
import { Bytes } from '../types';
import { lowercase, uppercase } from './case';
import { urlDecode, urlDecodeUni, urlEncode } from './url';
import { base64Decode, base64DecodeExt, base64Encode } from './base64';
import { cmdLine } from './cmdline';
import { compressWhitespace, removeWhitespace, trim, trimLeft, trimRight } from './whitespace';
import { cssDecode } from './css';
import { escapeSeqDecode } from './escape';
import { hexDecode, hexEncode, sqlHexDecode } from './hex';
import { htmlEntityDecode } from './html';
import { jsDecode } from './js';
import { length, removeNulls, replaceNulls, parityEven7bit, parityOdd7bit, parityZero7bit } from './simple';
import { removeComments, removeCommentsChar, replaceComments } from './comments';
import { normalizePath, normalizePathWin } from './path';
import { utf8toUnicode } from './utf8-unicode';
import { md5 } from './md5';
import { sha1 } from './sha1';

export type TransformFn = (input: Bytes) => Bytes;

export const NAMES: string[] = [];
export const FNS: TransformFn[] = [];

function reg(name: string, fn: TransformFn): void {
  NAMES.push(name.toLowerCase());
  FNS.push(fn);
}

reg('lowercase', lowercase);
reg('uppercase', uppercase);
reg('urlDecode', urlDecode);
reg('urlDecodeUni', urlDecodeUni);
reg('urlEncode', urlEncode);
reg('base64Decode', base64Decode);
reg('base64DecodeExt', base64DecodeExt);
reg('base64Encode', base64Encode);
reg('cmdLine', cmdLine);
reg('compressWhitespace', compressWhitespace);
reg('removeWhitespace', removeWhitespace);
reg('trim', trim);
reg('trimLeft', trimLeft);
reg('trimRight', trimRight);
reg('cssDecode', cssDecode);
reg('escapeSeqDecode', escapeSeqDecode);
reg('hexDecode', hexDecode);
reg('hexEncode', hexEncode);
reg('sqlHexDecode', sqlHexDecode);
reg('htmlEntityDecode', htmlEntityDecode);
reg('jsDecode', jsDecode);
reg('length', length);
reg('removeNulls', removeNulls);
reg('replaceNulls', replaceNulls);
reg('parityEven7bit', parityEven7bit);
reg('parityOdd7bit', parityOdd7bit);
reg('parityZero7bit', parityZero7bit);
reg('removeComments', removeComments);
reg('removeCommentsChar', removeCommentsChar);
reg('replaceComments', replaceComments);
reg('normalizePath', normalizePath);
reg('normalisePath', normalizePath);
reg('normalizePathWin', normalizePathWin);
reg('normalisePathWin', normalizePathWin);
reg('utf8toUnicode', utf8toUnicode);
reg('md5', md5);
reg('sha1', sha1);
