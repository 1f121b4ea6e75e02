package org.certflow.batch;

import java.io.InputStream;

/**
 * A stored batch file read from a byte offset on, one chunk in memory at a time, each
 * chunk read by a query of its own (no connection or transaction is held between them).
 */
final class StoredFile extends InputStream {

	private final BatchStore store;

	private final String batchId;

	private int seq;

	private byte[] chunk;

	private int position;

	StoredFile(BatchStore store, String batchId, long offset) {
		this.store = store;
		this.batchId = batchId;
		this.seq = (int) (offset / BatchStore.CHUNK);
		this.chunk = store.chunk(batchId, this.seq);
		this.position = (int) (offset % BatchStore.CHUNK);
	}

	@Override
	public int read() {
		byte[] one = new byte[1];
		int n = read(one, 0, 1);
		return (n < 0) ? -1 : (one[0] & 0xFF);
	}

	@Override
	public int read(byte[] buffer, int offset, int length) {
		if (length == 0) {
			return 0;
		}
		while (this.chunk != null && this.position >= this.chunk.length) {
			this.seq++;
			this.chunk = this.store.chunk(this.batchId, this.seq);
			this.position = 0;
		}
		if (this.chunk == null) {
			return -1;
		}
		int n = Math.min(length, this.chunk.length - this.position);
		System.arraycopy(this.chunk, this.position, buffer, offset, n);
		this.position += n;
		return n;
	}

}
