package org.certflow.security;

import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.authorization.Permission;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.ProcessDefinitionPermissions;
import org.camunda.bpm.engine.authorization.Resource;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.filter.Filter;
import org.camunda.bpm.engine.identity.Group;
import org.certflow.processes.CertificateRequestProcess;
import org.certflow.processes.IssuanceBatchProcess;

import org.springframework.stereotype.Component;

/**
 * The groups CertFlow's roles map to and what each may do in the engine, with
 * authorization checks on. Idempotent: it runs at every start and only adds what is
 * missing.
 * <ul>
 * <li>{@code validation-officers}: Tasklist, the validation queue filter, read the
 * request process and its forms, read (never write) the variables of its tasks; task
 * access itself comes from being a candidate group, and is TASK_WORK: claim and complete,
 * plus TASK_ASSIGN on the process (unclaim, hand on); never update the task or write
 * variables (defaultUserPermissionNameForTask, with enforceSpecificVariablePermission
 * on).</li>
 * <li>{@code ra-supervisors}: as officers, for the validation tasks escalated to them
 * (the escalation adds the group as candidate), with a filter of their own.</li>
 * <li>{@code ra-admins}: Cockpit, read process definitions and instances with their
 * history.</li>
 * <li>{@code certflow-signers}: the signer's technical user; read and update instances of
 * the request process, and through {@link SignerPathFilter} only its external tasks.</li>
 * <li>{@code camunda-admin}: everything (the starter's admin user).</li>
 * </ul>
 */
@Component
public class CamundaAccess {

	public static final String OFFICERS = CertificateRequestProcess.OFFICER_GROUP;

	public static final String RA_ADMINS = "ra-admins";

	/** Supervisors: validation tasks left undecided too long are escalated to them. */
	public static final String SUPERVISORS = CertificateRequestProcess.SUPERVISOR_GROUP;

	/** Technical users of signer processes; see {@link SignerAccount}. */
	public static final String SIGNERS = "certflow-signers";

	static final String QUEUE_FILTER = "Validation queue";

	static final String ESCALATED_FILTER = "Escalated requests";

	private final IdentityService identity;

	private final AuthorizationService authorizations;

	private final FilterService filters;

	private final TaskService tasks;

	CamundaAccess(IdentityService identity, AuthorizationService authorizations, FilterService filters,
			TaskService tasks) {
		this.identity = identity;
		this.authorizations = authorizations;
		this.filters = filters;
		this.tasks = tasks;
	}

	/** Creates what is missing. Runs before the demo users, who join these groups. */
	void configure() {
		group(Groups.CAMUNDA_ADMIN, "CertFlow administrators");
		group(OFFICERS, "Validation officers");
		group(RA_ADMINS, "RA administrators");
		group(SUPERVISORS, "Supervisors of the validation officers");
		group(SIGNERS, "CertFlow signers");

		grant(OFFICERS, Resources.APPLICATION, "tasklist", Permissions.ACCESS);
		// Fetching and completing an external task needs READ_INSTANCE and
		// UPDATE_INSTANCE
		// on its process definition; SignerPathFilter keeps the group to the external
		// task
		// calls, so UPDATE_INSTANCE opens nothing else.
		grant(SIGNERS, Resources.PROCESS_DEFINITION, CertificateRequestProcess.KEY, Permissions.READ,
				ProcessDefinitionPermissions.READ_INSTANCE, ProcessDefinitionPermissions.UPDATE_INSTANCE);
		// TASK_ASSIGN: claim is TASK_WORK, but giving a task back (unclaim) or handing it
		// to
		// a colleague is assignment.
		grant(OFFICERS, Resources.PROCESS_DEFINITION, CertificateRequestProcess.KEY, Permissions.READ,
				ProcessDefinitionPermissions.READ_TASK_VARIABLE, ProcessDefinitionPermissions.TASK_ASSIGN);
		grant(OFFICERS, Resources.DEPLOYMENT, Authorization.ANY, Permissions.READ);
		// Supervisors work escalated tasks exactly as officers do; the task itself
		// becomes theirs when the escalation adds them as candidates.
		grant(SUPERVISORS, Resources.APPLICATION, "tasklist", Permissions.ACCESS);
		grant(SUPERVISORS, Resources.PROCESS_DEFINITION, CertificateRequestProcess.KEY, Permissions.READ,
				ProcessDefinitionPermissions.READ_TASK_VARIABLE, ProcessDefinitionPermissions.TASK_ASSIGN);
		grant(SUPERVISORS, Resources.DEPLOYMENT, Authorization.ANY, Permissions.READ);

		grant(RA_ADMINS, Resources.APPLICATION, "cockpit", Permissions.ACCESS);
		grant(RA_ADMINS, Resources.APPLICATION, "tasklist", Permissions.ACCESS);
		grant(RA_ADMINS, Resources.PROCESS_DEFINITION, CertificateRequestProcess.KEY, Permissions.READ,
				ProcessDefinitionPermissions.READ_INSTANCE, ProcessDefinitionPermissions.READ_HISTORY,
				ProcessDefinitionPermissions.READ_TASK, ProcessDefinitionPermissions.READ_TASK_VARIABLE,
				ProcessDefinitionPermissions.READ_INSTANCE_VARIABLE,
				ProcessDefinitionPermissions.READ_HISTORY_VARIABLE);
		// Issuance runs: watched in Cockpit; started only through CertFlow (schedule,
		// RAMC,
		// API), so nobody may start an instance through the engine.
		grant(RA_ADMINS, Resources.PROCESS_DEFINITION, IssuanceBatchProcess.KEY, Permissions.READ,
				ProcessDefinitionPermissions.READ_INSTANCE, ProcessDefinitionPermissions.READ_HISTORY);
		grant(RA_ADMINS, Resources.PROCESS_INSTANCE, Authorization.ANY, Permissions.READ);
		grant(RA_ADMINS, Resources.DEPLOYMENT, Authorization.ANY, Permissions.READ);

		queueFilter();
		narrowTaskGrants();
	}

	/**
	 * Tasks created before TASK_WORK became the default carry UPDATE for their candidates
	 * and assignee, which lets them rewrite the task and its variables: take it back.
	 */
	private void narrowTaskGrants() {
		for (Authorization authorization : this.authorizations.createAuthorizationQuery()
			.resourceType(Resources.TASK)
			.hasPermission(Permissions.UPDATE)
			.list()) {
			if (authorization.getAuthorizationType() == Authorization.AUTH_TYPE_GRANT
					&& !Groups.CAMUNDA_ADMIN.equals(authorization.getGroupId())) {
				authorization.removePermission(Permissions.UPDATE);
				authorization.addPermission(Permissions.TASK_WORK);
				this.authorizations.saveAuthorization(authorization);
			}
		}
	}

	private void group(String id, String name) {
		if (this.identity.createGroupQuery().groupId(id).count() == 0) {
			Group group = this.identity.newGroup(id);
			group.setName(name);
			group.setType(Groups.GROUP_TYPE_SYSTEM);
			this.identity.saveGroup(group);
		}
	}

	private void grant(String groupId, Resource resource, String resourceId, Permission... permissions) {
		Authorization authorization = this.authorizations.createAuthorizationQuery()
			.groupIdIn(groupId)
			.resourceType(resource)
			.resourceId(resourceId)
			.list()
			.stream()
			.findFirst()
			.orElseGet(() -> {
				Authorization created = this.authorizations.createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
				created.setGroupId(groupId);
				created.setResource(resource);
				created.setResourceId(resourceId);
				return created;
			});
		for (Permission permission : permissions) {
			authorization.addPermission(permission);
		}
		this.authorizations.saveAuthorization(authorization);
	}

	private void queueFilter() {
		Filter filter = this.filters.createFilterQuery().filterName(QUEUE_FILTER).singleResult();
		if (filter == null) {
			filter = this.filters.newTaskFilter(QUEUE_FILTER)
				.setQuery(this.tasks.createTaskQuery().taskCandidateGroup(OFFICERS).includeAssignedTasks());
			this.filters.saveFilter(filter);
		}
		grant(OFFICERS, Resources.FILTER, filter.getId(), Permissions.READ);
		grant(RA_ADMINS, Resources.FILTER, filter.getId(), Permissions.READ);
		Filter escalated = this.filters.createFilterQuery().filterName(ESCALATED_FILTER).singleResult();
		if (escalated == null) {
			escalated = this.filters.newTaskFilter(ESCALATED_FILTER)
				.setQuery(this.tasks.createTaskQuery().taskCandidateGroup(SUPERVISORS).includeAssignedTasks());
			this.filters.saveFilter(escalated);
		}
		grant(SUPERVISORS, Resources.FILTER, escalated.getId(), Permissions.READ);
		grant(RA_ADMINS, Resources.FILTER, escalated.getId(), Permissions.READ);
	}

}
