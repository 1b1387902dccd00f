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

package dev.supervisor.process;

/**
 * Whether a replica that ended is started again.
 *
 * @author the supervisor authors
 */
public enum RestartPolicy {

	/** Restart whenever the replica ends, successfully or not. */
	ALWAYS {

		@Override
		public boolean shouldRestart(ExitStatus status) {
			return true;
		}

	},

	/** Restart only when the replica fails: a non-zero exit code or a signal. */
	ON_FAILURE {

		@Override
		public boolean shouldRestart(ExitStatus status) {
			return !status.success();
		}

	},

	/** Never restart. */
	NEVER {

		@Override
		public boolean shouldRestart(ExitStatus status) {
			return false;
		}

	};

	/**
	 * Decide whether a replica that ended with the given status is restarted.
	 * @param status how the replica ended
	 * @return {@code true} to restart it
	 */
	public abstract boolean shouldRestart(ExitStatus status);

}
