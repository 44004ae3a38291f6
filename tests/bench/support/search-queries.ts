/**
 * What staff type into resident search, key by key, as the keyboard delivers it: a Chinese input
 * method commits whole characters. Shared by the search benchmark (the index alone, in Node) and
 * the device benchmark (the search screen, in Chromium).
 */
export const SEARCH_QUERIES: { label: string; keys: string[] }[] = [
	{ label: '王秀 (name)', keys: ['王', '秀'] },
	{ label: 'wxy (initials)', keys: [...'wxy'] },
	{ label: 'wangxiu (pinyin)', keys: [...'wangxiu'] },
	{ label: '5512 (phone tail)', keys: [...'5512'] },
	{ label: '502 (door)', keys: [...'502'] },
	{ label: '9号楼2单元502 (door)', keys: ['9', '号', '楼', '2', '单', '元', '5', '0', '2'] },
	{ label: '002X (ID tail)', keys: [...'002X'] }
];
