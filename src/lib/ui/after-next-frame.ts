/**
 * Calls `callback` once the next frame has been drawn (a task queued from that frame's animation
 * callback runs after its layout and paint); returns a function that cancels it. For work that
 * should not delay what that frame shows.
 */
export function afterNextFrame(callback: () => void): () => void {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const frame = requestAnimationFrame(() => (timer = setTimeout(callback)));
	return () => {
		cancelAnimationFrame(frame);
		clearTimeout(timer);
	};
}
