/*
 * Copyright 2026 the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

package dev.supervisor.autoconfigure;

import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * Finds the name probably meant by a mistyped one: the closest candidate a typo or two
 * away, where a typo is a character inserted, left out or replaced, or two neighbours
 * swapped ({@code tyep}).
 *
 * @author the supervisor authors
 */
final class ClosestName {

	private ClosestName() {
	}

	/**
	 * Return the candidate closest to a name, if one is close enough: at most a typo for
	 * every three characters, and at most two.
	 * @param <T> the type of candidates
	 * @param name the mistyped name
	 * @param candidates the valid names
	 * @param key how a candidate's name compares
	 * @return the closest candidate or {@code null}
	 */
	static <T> @Nullable T closest(String name, Iterable<T> candidates, Function<T, String> key) {
		T best = null;
		int bestDistance = Integer.MAX_VALUE;
		for (T candidate : candidates) {
			String candidateKey = key.apply(candidate);
			int distance = distance(name, candidateKey);
			if (distance <= Math.max(1, Math.min(2, candidateKey.length() / 3)) && distance < bestDistance) {
				best = candidate;
				bestDistance = distance;
			}
		}
		return best;
	}

	/**
	 * Return the optimal string alignment distance between two names.
	 * @param a one name
	 * @param b the other
	 * @return the number of typos that make one the other
	 */
	static int distance(String a, String b) {
		int[][] d = new int[a.length() + 1][b.length() + 1];
		for (int i = 0; i <= a.length(); i++) {
			d[i][0] = i;
		}
		for (int j = 0; j <= b.length(); j++) {
			d[0][j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			for (int j = 1; j <= b.length(); j++) {
				int cost = (a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1;
				d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
				if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
					d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
				}
			}
		}
		return d[a.length()][b.length()];
	}

}
