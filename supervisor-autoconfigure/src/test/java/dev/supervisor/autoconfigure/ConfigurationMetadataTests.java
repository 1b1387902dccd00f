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

import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import org.springframework.beans.BeanUtils;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks that every property has a description an IDE can show, including the properties
 * of each worker, which the annotation processor does not describe.
 *
 * @author the supervisor authors
 */
class ConfigurationMetadataTests {

	@Test
	void everyGeneratedPropertyHasADescription() throws IOException {
		List<Map<String, Object>> properties = read("META-INF/spring-configuration-metadata.json");
		assertThat(properties).isNotEmpty()
			.allSatisfy((property) -> assertThat(property.get("description")).as(property.get("name").toString())
				.asString()
				.isNotBlank());
	}

	@Test
	void everyWorkerPropertyIsDescribed() throws IOException {
		List<Map<String, Object>> described = read("META-INF/additional-spring-configuration-metadata.json");
		List<String> names = described.stream().map((property) -> property.get("name").toString()).toList();
		List<String> expected = new ArrayList<>();
		collect(SupervisorProperties.Worker.class, "supervisor.workers.*.", expected);
		assertThat(names).containsExactlyInAnyOrderElementsOf(expected);
		assertThat(described)
			.allSatisfy((property) -> assertThat(property.get("description")).as(property.get("name").toString())
				.asString()
				.isNotBlank());
	}

	private static void collect(Class<?> type, String prefix, List<String> names) {
		for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
			if (descriptor.getName().equals("class")) {
				continue;
			}
			String name = prefix + kebab(descriptor.getName());
			Class<?> propertyType = descriptor.getPropertyType();
			if (propertyType.getEnclosingClass() == SupervisorProperties.class && !propertyType.isEnum()) {
				collect(propertyType, name + ".", names);
			}
			else {
				names.add(name);
			}
		}
	}

	private static String kebab(String name) {
		return name.replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
	}

	private static List<Map<String, Object>> read(String location) throws IOException {
		try (InputStream input = new ClassPathResource(location).getInputStream()) {
			return JsonPath.parse(input).read("$.properties");
		}
	}

}
